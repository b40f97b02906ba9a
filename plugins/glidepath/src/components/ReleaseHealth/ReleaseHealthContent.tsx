import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraOverview } from '../Dora';

/** The Release health tab of an entity page. */
export function ReleaseHealthContent() {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  return (
    <DoraOverview
      scope={{ entity: ref }}
      filename={`release-health-${entity.metadata.name}.csv`}
    />
  );
}
