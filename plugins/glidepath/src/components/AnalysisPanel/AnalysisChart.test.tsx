import { render, screen, within } from '@testing-library/react';
import { buildMetricCharts } from '../../lib/analysis/charts';
import {
  passingAnalyses,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';
import { AnalysisChart } from './AnalysisChart';

function chartFor(rule: string) {
  return buildMetricCharts(rollbackAnalyses).find(c => c.rule === rule)!;
}

function legend(container: HTMLElement) {
  return [...container.querySelectorAll('.recharts-legend-item-text')].map(
    item => item.textContent,
  );
}

function yTicks(container: HTMLElement): string[] {
  return [
    ...container.querySelectorAll(
      '.recharts-yAxis .recharts-cartesian-axis-tick-value',
    ),
  ].map(tick => tick.textContent ?? '');
}

describe('AnalysisChart', () => {
  it('draws canary, baseline and the baseline plus the limit for the error rate', () => {
    const { container } = render(
      <AnalysisChart chart={chartFor('error_rate')} width={480} />,
    );
    const chart = screen.getByTestId('glidepath-analysis-chart-error_rate');
    expect(within(chart).getByRole('heading')).toHaveTextContent('Error rate');
    expect(legend(container)).toEqual([
      'Canary',
      'Baseline',
      'Baseline + limit',
    ]);
    expect(container.querySelectorAll('.recharts-line')).toHaveLength(3);
    expect(
      container.querySelector('.recharts-line path[stroke-dasharray="6 4"]'),
    ).not.toBeNull();
    expect(container.querySelector('.recharts-reference-line')).toBeNull();
    expect(
      screen.getByRole('img', {
        name: 'Error rate, 2 evaluations: latest canary 7.04%, baseline 0.49%, baseline + limit 1.49%. Canary ranged from 3.13% to 7.04%.',
      }),
    ).toBeInTheDocument();
  });

  it('draws a burn rate against its threshold', () => {
    const { container } = render(
      <AnalysisChart chart={chartFor('burn_rate_fast')} width={480} />,
    );
    expect(legend(container)).toEqual(['Canary', 'Baseline']);
    expect(container.querySelector('.recharts-reference-line')).not.toBeNull();
    expect(screen.getByText('Threshold 14.4x')).toBeInTheDocument();
    // The axis reaches the threshold, though the canary stays below it.
    const ticks = yTicks(container);
    expect(ticks.every(tick => tick.endsWith('x'))).toBe(true);
    expect(
      Math.max(...ticks.map(tick => parseFloat(tick))),
    ).toBeGreaterThanOrEqual(14.4);
  });

  it('formats the axis in the rule unit', () => {
    const latency = buildMetricCharts(passingAnalyses).find(
      c => c.rule === 'latency_p95',
    )!;
    const { container } = render(<AnalysisChart chart={latency} width={480} />);
    const ticks = yTicks(container);
    expect(ticks.length).toBeGreaterThan(1);
    ticks.forEach(tick => expect(tick).toMatch(/^[\d,]+ ms$/));
    expect(
      screen.getByText('95th percentile, milliseconds'),
    ).toBeInTheDocument();
  });
});
