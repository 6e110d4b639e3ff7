namespace Memscope.Report;

/// <summary>The report's only style sheet, inlined in index.html (no external files, no fonts to fetch).</summary>
public static class ReportStyle
{
    public const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; color: #1d2330; background: #fbfbfd; }
        header { padding: 18px 0 0; }
        h1 { margin: 0 0 6px; font-size: 28px; }
        h2 { margin: 36px 0 4px; font-size: 21px; border-top: 1px solid #d9dde6; padding-top: 18px; }
        p.lead { margin: 4px 0; color: #444c5c; font-size: 14px; }
        nav ol { columns: 2; column-gap: 32px; font-size: 14px; padding-left: 22px; }
        nav li { margin: 3px 0; break-inside: avoid; }
        nav .cmd, p.path { color: #7a8295; font-size: 12px; }
        p.path { margin: 0 0 10px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        figure { margin: 14px 0 22px; background: #fff; border: 1px solid #e2e5ec; border-radius: 6px; padding: 10px; }
        figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
        figcaption, p.caption { font-size: 13px; color: #394152; margin-top: 8px; line-height: 1.45; }
        figcaption span, p.caption span { display: block; }
        figcaption .what { font-weight: 600; color: #1d2330; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; background: #f0f2f6; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
        .data, p.files { font-size: 12px; color: #5a6275; }
        div.table { overflow-x: auto; margin: 10px 0 20px; }
        table { border-collapse: collapse; font-size: 13px; background: #fff; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border: 1px solid #e2e5ec; padding: 3px 8px; text-align: left; }
        thead th { background: #f0f2f6; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.kv th { background: #f7f8fa; font-weight: normal; }
        p.note { background: #fff6e0; border-left: 4px solid #e0a800; padding: 6px 10px; font-size: 13px; }
        a { color: #1a5fb4; }
        """;
}
