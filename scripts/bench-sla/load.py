"""Loads the CSV that `ispwatch export` wrote into each peer's native table, sorted by target and
time: a DuckDB table in a database file, a chDB (embedded ClickHouse) MergeTree ordered by
(target, start_ms). Loading is not timed against ispwatch; its time is printed for information."""
import os
import sys
import time

import chdb.session
import duckdb

COLUMNS = ("time VARCHAR, scheduled VARCHAR, target VARCHAR, provider VARCHAR, vantage VARCHAR, "
           "ip_family VARCHAR, kind VARCHAR, success BOOLEAN, reason VARCHAR, code INTEGER, latency_us UBIGINT")


def load_duckdb(csv_path, database):
    if os.path.exists(database):
        os.remove(database)
    started = time.monotonic()
    con = duckdb.connect(database)
    con.execute(f"""
        CREATE TABLE results AS
        SELECT target, provider, epoch_ms(CAST(time AS TIMESTAMPTZ)) AS start_ms, success, reason, code,
               CAST(latency_us AS UINTEGER) AS latency_us
        FROM read_csv('{csv_path}', header = true, auto_detect = false,
                      columns = {{'time': 'VARCHAR', 'scheduled': 'VARCHAR', 'target': 'VARCHAR',
                                 'provider': 'VARCHAR', 'vantage': 'VARCHAR', 'ip_family': 'VARCHAR',
                                 'kind': 'VARCHAR', 'success': 'BOOLEAN', 'reason': 'VARCHAR',
                                 'code': 'INTEGER', 'latency_us': 'UBIGINT', 'resolve_us': 'VARCHAR',
                                 'connect_us': 'VARCHAR', 'tls_us': 'VARCHAR', 'processing_us': 'VARCHAR',
                                 'transfer_us': 'VARCHAR', 'request_us': 'VARCHAR', 'rtt_us': 'VARCHAR'}})
        ORDER BY target, start_ms
    """)
    con.execute("CHECKPOINT")
    rows = con.execute("SELECT count(*) FROM results").fetchone()[0]
    con.close()
    print(f"load: DuckDB table, {rows:,} rows in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return rows


def load_chdb(csv_path, path):
    started = time.monotonic()
    session = chdb.session.Session(path)
    session.query("CREATE DATABASE IF NOT EXISTS bench ENGINE = Atomic")
    session.query("DROP TABLE IF EXISTS bench.results")
    session.query("""
        CREATE TABLE bench.results (
            target LowCardinality(String), provider LowCardinality(String), start_ms Int64,
            success Bool, reason LowCardinality(String), code Nullable(Int32), latency_us UInt32
        ) ENGINE = MergeTree ORDER BY (target, start_ms)
    """)
    session.query(f"""
        INSERT INTO bench.results
        SELECT target, provider, toUnixTimestamp64Milli(parseDateTime64BestEffort(time, 3, 'UTC')),
               success = 'true', ifNull(reason, ''), code, latency_us
        FROM file('{csv_path}', 'CSVWithNames',
                  'time String, scheduled String, target String, provider String, vantage String, ip_family String, kind String, success String, reason Nullable(String), code Nullable(Int32), latency_us UInt32, resolve_us Nullable(String), connect_us Nullable(String), tls_us Nullable(String), processing_us Nullable(String), transfer_us Nullable(String), request_us Nullable(String), rtt_us Nullable(String)')
        SETTINGS input_format_csv_empty_as_default = 1
    """)
    session.query("OPTIMIZE TABLE bench.results FINAL")
    rows = int(session.query("SELECT count() FROM bench.results", "CSV").bytes().decode().strip())
    session.close()
    print(f"load: chDB MergeTree, {rows:,} rows in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return rows


if __name__ == "__main__":
    csv_path, duck_path, ch_path = sys.argv[1:4]
    a = load_duckdb(csv_path, duck_path)
    b = load_chdb(csv_path, ch_path)
    if a != b:
        sys.exit(f"load: DuckDB holds {a} rows, chDB {b}")
