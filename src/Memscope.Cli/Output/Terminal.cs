using Memscope.Theory.Sweep;
using Spectre.Console;

namespace Memscope.Cli.Output;

/// <summary>
/// Console output: Spectre.Console tables and progress bars on a terminal; plain lines when stdout is redirected
/// (Spectre's live progress prints nothing there, so CI and cluster logs get one plain line per 10%).
/// Progress goes to stderr in plain mode so that stdout stays machine-readable.
/// </summary>
public static class Terminal
{
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    static Terminal()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 240;
    }

    public static T RunWithProgress<T>(string title, Func<IProgress<WorkProgress>, T> work)
    {
        if (Interactive)
        {
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title));
                    result = work(new Progress<WorkProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }));
                    task.Value = task.MaxValue;
                });
            return result;
        }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int lastDecile = -1;
        var gate = new object();
        var plain = new SyncProgress(p =>
        {
            int decile = p.Total == 0 ? 10 : (int)(10 * p.Done / p.Total);
            lock (gate)
            {
                if (decile <= lastDecile) return;
                lastDecile = decile;
                Console.Error.WriteLine($"{title}: {decile * 10}% ({p.Done}/{p.Total}, {sw.Elapsed.TotalSeconds:F1}s)");
            }
        });
        return work(plain);
    }

    /// <summary>An IProgress that reports on the calling thread (no SynchronizationContext posting).</summary>
    private sealed class SyncProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }

    public static void Info(string line) => Console.Error.WriteLine(line);
}

/// <summary>Spectre tables with literal (escaped) text, so brackets in headers and values never parse as markup.</summary>
public static class PlainTable
{
    public static Table Create(string title, params string[] columns)
    {
        var t = new Table().Title(Markup.Escape(title));
        foreach (var c in columns) t.AddColumn(Markup.Escape(c));
        return t;
    }

    public static Table AddPlainRow(this Table t, params string[] cells) => t.AddRow(cells.Select(Markup.Escape).ToArray());
}
