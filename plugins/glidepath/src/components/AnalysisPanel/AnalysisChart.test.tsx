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
  it('draws the error rate as the judge sees it: the excess, its confidence range and the limit', () => {
    const { container } = render(
      <AnalysisChart chart={chartFor('error_rate')} width={480} />,
    );
    const chart = screen.getByTestId('glidepath-analysis-chart-error_rate');
    expect(within(chart).getByRole('heading')).toHaveTextContent('Error rate');
    expect(legend(container)).toEqual([
      'Confidence range',
      'Canary − baseline',
      'Limit',
    ]);
    expect(container.querySelectorAll('.recharts-line')).toHaveLength(2);
    expect(container.querySelectorAll('.recharts-area')).toHaveLength(1);
    expect(
      container.querySelector('.recharts-line path[stroke-dasharray="6 4"]'),
    ).not.toBeNull();
    expect(
      screen.getByRole('img', {
        name: 'Error rate, 2 evaluations: latest +6.55 pp (range +3.72 pp to +9.38 pp) against a limit of +1.00 pp.',
      }),
    ).toBeInTheDocument();
    expect(
      within(chart).getByText(/passes once the whole range is below it/),
    ).toBeInTheDocument();
    yTicks(container).forEach(tick => expect(tick).toMatch(/ pp$/));
  });

  it('draws a burn rate against its threshold, without a range', () => {
    const { container } = render(
      <AnalysisChart chart={chartFor('burn_rate_fast')} width={480} />,
    );
    expect(legend(container)).toEqual(['Canary burn rate', 'Limit']);
    expect(container.querySelectorAll('.recharts-area')).toHaveLength(0);
    // The axis reaches the threshold, though the canary stays below it.
    const ticks = yTicks(container);
    expect(ticks.every(tick => tick.endsWith('x'))).toBe(true);
    expect(
      Math.max(...ticks.map(tick => parseFloat(tick))),
    ).toBeGreaterThanOrEqual(14.4);
  });

  it('formats the latency axis as the percent of slow canary requests', () => {
    const latency = buildMetricCharts(passingAnalyses).find(
      c => c.rule === 'latency_p95',
    )!;
    const { container } = render(<AnalysisChart chart={latency} width={480} />);
    const ticks = yTicks(container);
    expect(ticks.length).toBeGreaterThan(1);
    ticks.forEach(tick => expect(tick).toMatch(/^-?[\d.]+%$/));
    expect(
      screen.getByText(/Percent of canary requests slower/),
    ).toBeInTheDocument();
  });
});
