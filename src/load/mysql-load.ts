import mysql from 'mysql2/promise';

/** The load phase against a mysqld workload, with sizes in bytes. */
export interface MysqlLoadSpec {
  kind: 'mysql';
  /** Rows of ~2 KiB in the warm-up table; scans of it fill the buffer pool. */
  rows: number;
  /** Concurrent connections, each with its own sort and join buffers. */
  connections: number;
  sortBufferBytes: number;
  joinBufferBytes: number;
  /** In-memory temporary tables per connection are capped by tmp_table_size / max_heap_table_size. */
  tmpTableBytes: number;
  /** How long the server may take to become ready. */
  readyTimeoutMs: number;
}

export interface MysqlTarget {
  host: string;
  port: number;
}

/** The server's own view of its memory. */
export interface MysqlServerReport {
  bufferPoolSizeBytes: number | null;
  bufferPoolPagesTotal: number | null;
  bufferPoolPagesData: number | null;
  bufferPoolPagesFree: number | null;
  pageSizeBytes: number | null;
  threadsConnected: number | null;
  maxUsedConnections: number | null;
  createdTmpTables: number | null;
  sortMergePasses: number | null;
}

export type LoadPhase = 'warm-up' | 'connections' | 'temp-tables';

const CREDENTIALS = { user: 'oomlab', password: 'oomlab', database: 'oomlab' };

function connect(target: MysqlTarget) {
  return mysql.createConnection({ ...target, ...CREDENTIALS, connectTimeout: 2000, multipleStatements: false });
}

/** Ready means a client can connect and run a query, not only that the log said so. */
export async function waitForMysql(target: MysqlTarget, timeoutMs: number, stillRunning: () => boolean, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not tried';
  while (Date.now() < deadline && !signal.aborted) {
    if (!stillRunning()) throw new Error('the server stopped before it was ready');
    try {
      const connection = await connect(target);
      await connection.query('SELECT 1');
      await connection.end();
      return;
    } catch (error) {
      lastError = (error as Error).message;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms (${lastError})`);
}

/**
 * Grows the server's memory in three phases: scans that warm the buffer pool, many connections with large
 * sort and join buffers, and big in-memory temporary tables. Talks to 127.0.0.1 only.
 */
export async function runMysqlLoad(target: MysqlTarget, spec: MysqlLoadSpec, onPhase: (phase: LoadPhase) => void, signal: AbortSignal): Promise<void> {
  const main = await connect(target);
  try {
    onPhase('warm-up');
    await main.query('DROP TABLE IF EXISTS t');
    await main.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, pad VARCHAR(2000) NOT NULL) ENGINE=InnoDB');
    await main.query("INSERT INTO t (k, pad) VALUES (1, REPEAT('x', 2000))");
    // Doubling by INSERT … SELECT is fast; capping each statement keeps transactions (and their undo) small.
    for (let rows = 1; rows < spec.rows && !signal.aborted; ) {
      const batch = Math.min(rows, spec.rows - rows, 16384);
      await main.query(`INSERT INTO t (k, pad) SELECT FLOOR(RAND() * 1000000), pad FROM t LIMIT ${batch}`);
      rows += batch;
    }
    await main.query('SELECT COUNT(*), SUM(LENGTH(pad)) FROM t FORCE INDEX (PRIMARY)');
    if (signal.aborted) return;

    onPhase('connections');
    const sessions = await Promise.all(Array.from({ length: spec.connections }, () => connect(target)));
    try {
      await Promise.all(
        sessions.map(async (session, index) => {
          await session.query(`SET SESSION sort_buffer_size = ${spec.sortBufferBytes}, join_buffer_size = ${spec.joinBufferBytes}`);
          await session.query('SELECT k, LEFT(pad, 100) FROM t ORDER BY k DESC, pad LIMIT 100');
          // No index on k: a block nested loop join that fills the join buffer.
          await session.query(`SELECT COUNT(*) FROM t a JOIN t b ON a.k = b.k WHERE a.id % ${spec.connections} = ${index} AND a.id < 4000`);
        }),
      );
      if (signal.aborted) return;

      onPhase('temp-tables');
      await Promise.all(
        sessions.map(async (session, index) => {
          await session.query(`SET SESSION tmp_table_size = ${spec.tmpTableBytes}, max_heap_table_size = ${spec.tmpTableBytes}`);
          const rows = Math.max(1, Math.floor(spec.tmpTableBytes / 1200));
          await session.query(`CREATE TEMPORARY TABLE tmp${index} (id INT, k INT, p VARCHAR(1000)) ENGINE=MEMORY CHARACTER SET latin1`);
          await session.query(`INSERT INTO tmp${index} SELECT id, k, LEFT(pad, 1000) FROM t LIMIT ${rows}`).catch((error: Error) => {
            // "The table is full" is MySQL keeping within tmp_table_size: the limit working, not a failure.
            if (!/is full/.test(error.message)) throw error;
          });
        }),
      );
    } finally {
      await Promise.all(sessions.map((session) => session.end().catch(() => undefined)));
    }
  } finally {
    await main.end().catch(() => undefined);
  }
}

function numberOrNull(value: unknown): number | null {
  const number = Number(value);
  return value === undefined || value === null || Number.isNaN(number) ? null : number;
}

export async function readMysqlReport(target: MysqlTarget): Promise<MysqlServerReport> {
  const connection = await connect(target);
  try {
    const [status] = await connection.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_total','Innodb_buffer_pool_pages_data','Innodb_buffer_pool_pages_free','Innodb_page_size','Threads_connected','Max_used_connections','Created_tmp_tables','Sort_merge_passes')");
    const [variables] = await connection.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('innodb_buffer_pool_size')");
    const values = Object.fromEntries([...(status as Array<{ Variable_name: string; Value: string }>), ...(variables as Array<{ Variable_name: string; Value: string }>)].map((row) => [row.Variable_name.toLowerCase(), row.Value]));
    return {
      bufferPoolSizeBytes: numberOrNull(values.innodb_buffer_pool_size),
      bufferPoolPagesTotal: numberOrNull(values.innodb_buffer_pool_pages_total),
      bufferPoolPagesData: numberOrNull(values.innodb_buffer_pool_pages_data),
      bufferPoolPagesFree: numberOrNull(values.innodb_buffer_pool_pages_free),
      pageSizeBytes: numberOrNull(values.innodb_page_size),
      threadsConnected: numberOrNull(values.threads_connected),
      maxUsedConnections: numberOrNull(values.max_used_connections),
      createdTmpTables: numberOrNull(values.created_tmp_tables),
      sortMergePasses: numberOrNull(values.sort_merge_passes),
    };
  } finally {
    await connection.end().catch(() => undefined);
  }
}
