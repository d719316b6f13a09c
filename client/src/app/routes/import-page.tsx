import { useQuery } from '@tanstack/react-query';

import { ImportPanel } from '@/components/ui/import-panel';
import { usePageTitle } from '@/components/ui/page-title';
import { kpiKeysQueryOptions, useImportKpis } from '@/features/kpis/api/kpis';
import { useImportMeasurements } from '@/features/measurements/api/measurements';
import { ExportForm } from '@/features/measurements/components/export-form';
import { sessionQueryOptions } from '@/features/session/api/session';
import { canWrite } from '@/lib/permissions';

/** Bulk import (measurements, KPI definitions) with a dry run first, and export with filters. */
export function ImportPage() {
  usePageTitle('Import and export');
  const session = useQuery(sessionQueryOptions);
  const keys = useQuery(kpiKeysQueryOptions);
  const measurements = useImportMeasurements();
  const kpis = useImportKpis();
  const writer = canWrite(session.data?.user);
  return (
    <>
      <h1>Import and export</h1>
      {writer ? (
        <div className="two-columns">
          <ImportPanel
            title="Import measurements"
            upload={(request) => measurements.mutateAsync(request)}
            help={
              <>
                <p>
                  CSV with the header <code>kpi,period,value,note,externalId</code> (note and externalId optional; <code>kpi</code> is a key or id), or NDJSON
                  lines with the same fields. All lines are imported or none; a period that has a value gets the new one and the old stays in its history.
                </p>
                <p>
                  You can import values of the KPIs your teams own.
                </p>
              </>
            }
          />
          <ImportPanel
            title="Import KPI definitions"
            upload={(request) => kpis.mutateAsync(request)}
            help={
              <p>
                CSV with the columns <code>key,name,description,formula,unit,valueType,frequency,comparator,target,low,high,warning,ownerTeamId,tags</code>{' '}
                (required: key, name, valueType, frequency, comparator; tags separated by <code>|</code>), or NDJSON lines shaped like a KPI. Existing keys are
                updated.
              </p>
            }
          />
        </div>
      ) : (
        <p className="alert alert-info" role="status">
          Your role reads KPIs but does not import. You can export below.
        </p>
      )}
      <ExportForm kpiKeys={(keys.data ?? []).map((k) => k.key)} />
    </>
  );
}
