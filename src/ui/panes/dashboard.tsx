// The whole frame from DashboardProps: header, diagnosis, panes (stacked below 110 columns, two
// columns above), status and footer; a compact view below 60×16. Every line is fitted to
// size.columns and the frame is at most size.rows - 1 lines tall.
import { memo, useMemo } from 'react';
import { Box } from 'ink';
import { diagnose, overallHealth, runningWorkers } from '../../data/diagnose.js';
import type { DashboardProps, PaneId } from '../view-state.js';
import { formatCount, formatRate } from '../../text/format/numbers.js';
import { stateColor } from '../../text/format/states.js';
import { Header } from './header.js';
import { DiagnosisLine } from './diagnosis-line.js';
import { StatusLine } from './status-line.js';
import { Footer } from './footer.js';
import { QueuePane, queueSummaryLines, scopeStats } from './queue-pane.js';
import { WorkersPane, workersSummary } from './workers-pane.js';
import { FailuresPane } from './failures-pane.js';
import { LogsPane, currentProblem, problemRowCount } from './logs-pane.js';
import { DisksPane, diskStripSegs } from './disks-pane.js';
import { Line, type Seg } from './line.js';
import { columnsFrom, layoutDashboard, type DashboardPane, type PaneBox, type PaneWant } from './layout.js';
import { diskRows, failureRows, filterLogs, noUnitsFound, queueRows, workerRows } from './rows.js';

function paneWants(p: DashboardProps, stacked: boolean): Record<DashboardPane, PaneWant> {
  const { snapshot, view } = p;
  const queueWidth = stacked ? p.size.columns : Math.floor((p.size.columns - 1) / 2);
  const summary = queueSummaryLines(snapshot.db, view.queue, queueWidth);
  const queueWant = 1 + summary + queueRows(snapshot, view).length;
  const wRows = workerRows(snapshot);
  const unitRows = wRows.filter((r) => r.type === 'unit').length;
  // The "no units found" note gets a second line naming what was looked for (workers-pane.tsx).
  const hintRows = wRows.some((r) => r.type === 'note' && r.text === noUnitsFound) ? 1 : 0;
  const workersWant = 1 + wRows.length + (unitRows > 0 ? 1 : 0) + hintRows;
  const failuresWant = 1 + failureRows(snapshot, view).length;
  const logs = filterLogs(p.logs, view.logFilter);
  const logsWidth = stacked ? p.size.columns : p.size.columns - 1 - Math.floor((p.size.columns - 1) / 2);
  const problem = currentProblem(logs);
  const problemRows = problem ? problemRowCount(problem, logsWidth) : 0;
  const logsMarker = view.logScroll > 0 || view.paused ? 1 : 0;
  const logsWant = 1 + Math.max(1, logs.length + Math.max(0, problemRows - 1)) + logsMarker;
  // A source problem that is the newest line (the source still cannot deliver) gets the rows
  // its fix needs, even on a short terminal.
  const logsMin = problem && problem === logs.at(-1) && view.logScroll === 0 ? 1 + problemRows + logsMarker : 2;
  const host = snapshot.host;
  const disksFull = 1 + Math.max(1, diskRows(snapshot).length) + (host.backlog ? 1 : 0) + (host.load.length > 0 || host.memUsedPct !== null || host.problem ? 1 : 0);
  const disksWant = stacked && view.focus !== 'disks' ? 1 : disksFull;
  return {
    queue: { id: 'queue', min: Math.min(queueWant, 1 + summary), want: queueWant },
    workers: { id: 'workers', min: 2, want: workersWant },
    failures: { id: 'failures', min: 2, want: failuresWant },
    logs: { id: 'logs', min: logsMin, want: logsWant },
    disks: { id: 'disks', min: 1, want: disksWant },
  };
}

/** The compact view's second line: what is queued and running, failures, workers. */
function countsSegs(p: DashboardProps): Seg[] {
  const { stats } = scopeStats(p.snapshot.db, p.view.queue);
  const running = runningWorkers(p.snapshot, p.now);
  if (!stats) return [{ text: p.snapshot.db ? 'no queue data' : 'no database data', dim: true }];
  return [
    { text: 'pend ', dim: true }, { text: formatCount(stats.live.pending), color: stateColor('pending'), bold: true },
    { text: ' run ', dim: true }, { text: formatCount(stats.live.running), color: stateColor('running'), bold: true },
    { text: ' fail1h ', dim: true }, { text: formatCount(stats.failedLastHour), color: stats.failedLastHour > 0 ? 'red' : undefined },
    { text: ' wrk ', dim: true }, { text: String(running.count) },
    { text: ` ${formatRate(stats.throughputPerMin.m5)}`, dim: true },
  ];
}

function renderPane(box: PaneBox, p: DashboardProps, focus: PaneId) {
  const { snapshot, view, config, now } = p;
  const color = config.color;
  const selectedId = view.focus === box.id ? view.selectedId : null;
  const common = { width: box.width, height: box.height, focused: focus === box.id, color, selectedId };
  switch (box.id) {
    case 'queue':
      return (
        <QueuePane key="queue" {...common} db={snapshot.db} history={p.history} queue={view.queue} now={now}
          failureRateWarn={config.thresholds.failureRateWarn} failureRateCrit={config.thresholds.failureRateCrit} />
      );
    case 'workers':
      return (
        <WorkersPane key="workers" {...common} units={snapshot.units} db={snapshot.db} takenAt={snapshot.takenAt} now={now}
          producerUnit={config.units.producer} workerTemplate={config.units.workerTemplate} />
      );
    case 'failures':
      return <FailuresPane key="failures" {...common} db={snapshot.db} queue={view.queue} now={now} />;
    case 'logs':
      return (
        <LogsPane key="logs" {...common} logs={p.logs} filter={view.logFilter} scroll={view.logScroll} paused={view.paused}
          producerUnit={config.units.producer} workerTemplate={config.units.workerTemplate} />
      );
    case 'disks':
      return <DisksPane key="disks" {...common} host={snapshot.host} diskWarnPct={config.thresholds.diskWarnPct} diskCritPct={config.thresholds.diskCritPct} />;
  }
}

function DashboardImpl(p: DashboardProps) {
  const { snapshot, config, now, view, size } = p;
  const diagnoses = useMemo(() => diagnose(snapshot, config, now), [snapshot, config, now]);
  const health = overallHealth(snapshot, config, now, diagnoses);
  const stacked = size.columns < columnsFrom;
  // Exactly what paneWants reads.
  const wants = useMemo(() => paneWants(p, stacked),
    [snapshot, p.logs, view, size.columns, stacked]);
  const layout = layoutDashboard(size, view.focus, wants, p.status !== null);
  if (layout.mode === 'empty') return null;
  const width = layout.width;
  const color = config.color;
  const db = snapshot.db;
  const running = runningWorkers(snapshot, now);
  const { stats } = scopeStats(db, view.queue);
  const calm = `${running.count} ${running.count === 1 ? 'worker' : 'workers'} running${stats ? ` · ${formatRate(stats.throughputPerMin.m5)} done` : ''}`;

  const header = (
    <Header width={width} color={color} health={health} hostname={p.hostname ?? null} target={p.target}
      flavour={db?.flavour ?? null} schemaVersion={db?.schemaVersion ?? null} queue={view.queue}
      queueCount={db?.queues.length ?? 0} refreshSec={config.refreshSec} refreshedAt={db?.fetchedAt ?? null}
      now={now} paused={view.paused} readOnly={config.readOnly} />
  );
  const diagnosis = layout.diagnosis > 0
    ? <DiagnosisLine diagnoses={diagnoses} lines={layout.diagnosis} width={width} color={color} calm={calm} />
    : null;
  const status = layout.status > 0 ? <StatusLine status={p.status} width={width} color={color} now={now} /> : null;
  const footer = layout.footer > 0 ? <Footer hints={p.footer} width={width} color={color} /> : null;

  if (layout.mode === 'compact') {
    return (
      <Box flexDirection="column" width={width} height={layout.height} overflowY="hidden">
        {header}
        {layout.counts > 0 ? <Line segs={countsSegs(p)} width={width} color={color} /> : null}
        {layout.extra > 0 ? <Line segs={[{ text: 'workers ', dim: true }, { text: workersSummary(snapshot.units, db) || 'none known' }]} width={width} color={color} /> : null}
        {layout.extra > 1 ? <Line segs={diskStripSegs(snapshot.host, config.thresholds.diskWarnPct, config.thresholds.diskCritPct)} width={width} color={color} /> : null}
        {diagnosis}
        {status}
        {footer}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={layout.height} overflowY="hidden">
      {header}
      {diagnosis}
      <Box flexDirection="row" width={width} flexShrink={0}>
        {layout.columns.map((col, i) => (
          <Box key={i} flexDirection="column" width={col[0]?.width ?? 0} marginLeft={i > 0 ? 1 : 0} flexShrink={0}>
            {col.map((box) => renderPane(box, p, view.focus))}
          </Box>
        ))}
      </Box>
      {status}
      {footer}
    </Box>
  );
}

export const Dashboard = memo(DashboardImpl);
