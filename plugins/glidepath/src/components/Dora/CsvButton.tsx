import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import type { DoraQuery } from '@glidepath/backstage-plugin-common';
import { useState } from 'react';
import { glidepathApiRef } from '../../api';

/** Downloads a DORA query's series as CSV (read with the user's token). */
export function CsvButton(props: { query: DoraQuery; filename: string }) {
  const api = useApi(glidepathApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const csv = await api.getDoraCsv(props.query);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = props.filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      alertApi.post({
        message: `Could not export CSV: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      startIcon={<GetAppIcon />}
      disabled={busy}
      onClick={download}
    >
      Export CSV
    </Button>
  );
}
