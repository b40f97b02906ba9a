import { useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentRelease,
  glidepathReleaseRollbackPermission,
  RollbackTest,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { entityName, entitySubject } from '../../lib/entity';
import {
  rollbackTestRefusal,
  rollbackTestSentence,
} from '../../lib/rollbackTests';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';
import { SimulatedChip } from '../SimulatedChip';
import { ReasonDialog } from './ReasonDialog';

function TestStatus(props: { test: RollbackTest | null | undefined }) {
  // A number and its unit stay on one line ("32 s", "1 min").
  const sentence = rollbackTestSentence(props.test).replace(
    /(\d) (s|min|h)\b/g,
    '$1\u00a0$2',
  );
  switch (props.test?.state) {
    case undefined:
      return <StatusPending>{sentence}</StatusPending>;
    case 'passed':
      return <StatusOK>{sentence}</StatusOK>;
    case 'failed':
      return <StatusError>{sentence}</StatusError>;
    case 'not_run':
      return <StatusWarning>{sentence}</StatusWarning>;
    default:
      return <StatusRunning>{sentence}</StatusRunning>;
  }
}

/** Who or what asked for the test, which versions, and when. */
function TestDetails(props: { test: RollbackTest }) {
  const { test } = props;
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {test.version}
      {test.previousVersion ? ` → ${test.previousVersion} and back` : ''} ·{' '}
      {test.trigger === 'policy' ? (
        'run by Glidepath when the release completed'
      ) : (
        <>
          asked for by <ActorName actor={test.requestedBy} />
        </>
      )}{' '}
      · {formatTime(test.requestedAt)}
    </Typography>
  );
}

/**
 * A non-production environment's latest rollback test in plain words, and
 * a button to run one now (with the rollback permission).
 */
export function EnvironmentRollbackTest(props: {
  entity: Entity;
  environment: EnvironmentRelease;
  onChanged: () => void;
}) {
  const { entity, environment, onChanged } = props;
  const api = useApi(glidepathApiRef);
  const [open, setOpen] = useState(false);
  const { allowed, loading, error } = usePermission({
    permission: glidepathReleaseRollbackPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const test = environment.rollbackTest;
  const release = environment.current;
  let refusal: string | undefined;
  if (error) {
    refusal = `Could not check whether you may roll back this ${entitySubject(
      entity,
    )}: ${error.message}`;
  } else if (!loading && !allowed) {
    refusal = `Only people who may roll back this ${entitySubject(
      entity,
    )} can test its rollback.`;
  } else {
    refusal = rollbackTestRefusal(environment);
  }
  const refusalId = `glidepath-rollback-test-refusal-${environment.name}`;

  return (
    <Box mt={1} data-testid={`glidepath-rollback-test-${environment.name}`}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography
          variant="body2"
          component="div"
          data-testid={`glidepath-rollback-test-sentence-${environment.name}`}
        >
          <TestStatus test={test} />
        </Typography>
        {test?.simulated && <SimulatedChip />}
      </Box>
      {test && <TestDetails test={test} />}
      <Button
        size="small"
        variant="outlined"
        color="primary"
        disabled={Boolean(refusal) || loading}
        aria-describedby={refusal ? refusalId : undefined}
        onClick={() => setOpen(true)}
        style={{ marginTop: 4 }}
        data-testid={`glidepath-rollback-test-run-${environment.name}`}
      >
        Test rollback
      </Button>
      {refusal && (
        <Typography
          id={refusalId}
          variant="caption"
          color="textSecondary"
          component="p"
        >
          {refusal}
        </Typography>
      )}
      {open && (
        <ReasonDialog
          id="glidepath-rollback-test-dialog"
          title={`Test the rollback of ${entity.metadata.name} in ${environment.name}`}
          consequence={
            release
              ? `Glidepath rolls ${release.version} back${
                  release.previousVersion
                    ? ` to ${release.previousVersion}`
                    : ''
                } in ${
                  environment.name
                }, waits until it is healthy again, then rolls ${
                  release.version
                } forward. Production is not touched.`
              : `Glidepath rolls the release in ${environment.name} back, waits until it is healthy again, then rolls it forward. Production is not touched.`
          }
          confirmLabel="Test rollback"
          onSubmit={(reason, idempotencyKey) =>
            api.runRollbackTest(
              entityName(entity),
              { environment: environment.name, reason },
              { idempotencyKey },
            )
          }
          onDone={() => {
            setOpen(false);
            onChanged();
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </Box>
  );
}
