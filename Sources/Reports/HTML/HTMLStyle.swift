/// The report's only style sheet, inline: system fonts (nothing fetched), a single column that
/// fits a phone, tables that scroll sideways instead of squeezing, and print rules that keep a
/// chart or a box on one page.
enum HTMLStyle {
    static let css = """
        :root { --ok: #2e7d32; --bad: #c62828; --warn: #ef6c00; --muted: #666; --line: #ddd; }
        * { box-sizing: border-box; }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #222;
               margin: 0 auto; padding: 16px; max-width: 1100px; background: #fff; }
        h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; border-bottom: 2px solid #222; }
        h3 { font-size: 1.05em; margin: 18px 0 6px; }
        .subtitle, .note { color: var(--muted); font-size: 0.9em; }
        .box { border: 1px solid #999; border-radius: 6px; padding: 10px 16px; margin: 14px 0; background: #fafafa; }
        .box.statement { border-color: var(--warn); background: #fff8e1; }
        .box dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 6px 0; }
        .box dt { font-weight: 600; } .box dd { margin: 0; }
        .table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9em; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; white-space: nowrap; }
        th { background: #f0f0f0; } td.num, th.num { text-align: right; }
        .verdict { font-weight: 700; } .PASS { color: var(--ok); } .FAIL { color: var(--bad); }
        .INSUFFICIENT { color: var(--warn); } .meets { color: var(--ok); } .misses { color: var(--bad); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
        figure { margin: 0; } figcaption { font-weight: 600; font-size: 0.9em; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg .axis, svg .row-label { font-size: 11px; fill: #444; } svg .threshold-label { font-size: 11px; fill: var(--bad); }
        svg .grid { stroke: var(--line); stroke-width: 1; } svg .threshold { stroke: var(--bad); stroke-dasharray: 6 4; stroke-width: 1.5; }
        svg .bar.ok { fill: var(--ok); } svg .bar.low { fill: var(--bad); } svg .bar.nodata { fill: #bbb; }
        svg .line { fill: none; stroke-width: 2; } svg circle.line { stroke-width: 0; }
        svg .p50 { stroke: #1565c0; fill: #1565c0; } svg .p95 { stroke: var(--warn); fill: var(--warn); }
        svg .p99 { stroke: var(--bad); fill: var(--bad); } svg .mean { stroke: #555; fill: #555; stroke-dasharray: 2 3; }
        svg polyline.line { fill: none; }
        svg .incident { fill: var(--bad); } svg .incident.open { fill: #7f0000; } svg .incident.flapping { fill: var(--warn); }
        svg .maint { fill: rgba(21, 101, 192, 0.14); } svg .maint.late { fill: rgba(239, 108, 0, 0.22); }
        .legend span { margin-right: 12px; font-size: 0.85em; } .legend i { display: inline-block; width: 14px; height: 3px;
          vertical-align: middle; margin-right: 4px; }
        @media (max-width: 600px) { body { padding: 8px; font-size: 14px; } .box dl { grid-template-columns: 1fr; } }
        @media print { body { max-width: none; padding: 0; font-size: 11px; } .box, figure, table { break-inside: avoid; }
          h2 { break-after: avoid; } .table-wrap { overflow: visible; } th, td { white-space: normal; } }
        """
}
