"""The benchmark's queries Q1–Q4 in the two SQL dialects, with ispwatch's accounting rules:
1-minute slices by probe start, a slice DOWN when failures * 2 >= probes (at least half failed),
availability = UP slices / known slices (slices without probes do not exist in SQL, as UNKNOWN
slices are excluded by ispwatch), latency percentiles over successful probes only, incidents open
after 3 consecutive DOWN slices and close after 5 consecutive UP slices with UNKNOWN slices
skipped (they change nothing)."""

QUANTILES = (0.5, 0.95, 0.99)


class Dialect:
    def __init__(self, name):
        self.name = name
        duck = name == "duckdb"
        self.table = "results" if duck else "bench.results"
        self.div = (lambda a, b: f"({a} // {b})") if duck else (lambda a, b: f"intDiv({a}, {b})")
        self.count_if = (lambda c: f"count(*) FILTER (WHERE {c})") if duck else (lambda c: f"countIf({c})")
        self.quantiles = ((lambda col: f"quantile_disc({col}, [0.5, 0.95, 0.99])") if duck
                          else (lambda col: f"quantilesExact(0.5, 0.95, 0.99)({col})"))
        self.failed = "NOT success" if duck else "NOT success"


def slices(d, low, high, extra=""):
    """Per target and minute: probes and failures."""
    return f"""
        SELECT target, {d.div('start_ms', 60000)} AS minute, count(*) AS n, {d.count_if(d.failed)} AS f
        FROM {d.table} WHERE start_ms >= {low} AND start_ms < {high} {extra}
        GROUP BY target, minute"""


def q1(d, low, high):
    return f"""
        WITH s AS ({slices(d, low, high)}),
        a AS (SELECT target, sum(n) AS results, {d.count_if('2 * f < n')} AS up, {d.count_if('2 * f >= n')} AS down
              FROM s GROUP BY target),
        l AS (SELECT target, {d.quantiles('latency_us')} AS q FROM {d.table}
              WHERE success AND start_ms >= {low} AND start_ms < {high} GROUP BY target)
        SELECT a.target, a.results, a.up, a.down, l.q FROM a LEFT JOIN l ON a.target = l.target ORDER BY a.target"""


def q2(d, low, high, target_filter=""):
    return f"""
        WITH s AS ({slices(d, low, high, target_filter)}),
        a AS (SELECT target, {d.div('minute', 1440)} AS day, sum(n) AS results, {d.count_if('2 * f < n')} AS up,
                     {d.count_if('2 * f >= n')} AS down FROM s GROUP BY target, day),
        l AS (SELECT target, {d.div('start_ms', 86400000)} AS day, {d.quantiles('latency_us')} AS q FROM {d.table}
              WHERE success AND start_ms >= {low} AND start_ms < {high} {target_filter} GROUP BY target, day)
        SELECT a.target, a.day, a.results, a.up, a.down, l.q FROM a LEFT JOIN l ON a.target = l.target AND a.day = l.day
        ORDER BY a.target, a.day"""


def q3(d, low, high, target):
    """One target: per day availability and percentiles, and percentiles over the whole range."""
    per_day = q2(d, low, high, f"AND target = '{target}'")
    total = f"""SELECT {d.quantiles('latency_us')} AS q FROM {d.table}
                WHERE success AND target = '{target}' AND start_ms >= {low} AND start_ms < {high}"""
    return per_day, total


def q4(d, low, high):
    return f"""
        WITH s AS ({slices(d, low, high)}),
        k AS (SELECT target, minute, CASE WHEN 2 * f >= n THEN 1 ELSE 0 END AS down FROM s),
        r AS (SELECT target, minute, down,
                     row_number() OVER (PARTITION BY target ORDER BY minute)
                     - row_number() OVER (PARTITION BY target, down ORDER BY minute) AS grp FROM k),
        runs AS (SELECT target, down, min(minute) AS first_minute, count(*) AS len FROM r GROUP BY target, down, grp),
        marked AS (SELECT target, down, first_minute, len,
                          sum(CASE WHEN down = 0 AND len >= 5 THEN 1 ELSE 0 END)
                              OVER (PARTITION BY target ORDER BY first_minute ROWS UNBOUNDED PRECEDING) AS seg FROM runs),
        opens AS (SELECT target, seg, min(first_minute) AS start_minute FROM marked WHERE down = 1 AND len >= 3 GROUP BY target, seg),
        closes AS (SELECT target, seg, first_minute AS close_minute FROM marked WHERE down = 0 AND len >= 5)
        SELECT o.target, o.start_minute, c.close_minute FROM opens o LEFT JOIN closes c ON c.target = o.target AND c.seg = o.seg + 1
        ORDER BY o.target, o.start_minute"""
