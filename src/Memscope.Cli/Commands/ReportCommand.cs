using System.CommandLine;
using Memscope.Cli.Output;
using Memscope.Report;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope report DIR… --out REPORT_DIR</c>: one static HTML page over run folders (Memscope.Report).</summary>
public static class ReportCommand
{
    public const string ScreenshotName = "screenshot.png";

    public static Command Build()
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Run folders, or folders above them (every run.json below is found)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Report folder (index.html, runs/, run.json); an earlier report there is replaced", Required = true };
        var screenshot = new Option<bool>("--screenshot") { Description = $"Also write REPORT_DIR/{ScreenshotName}, the first screen in headless Chromium (if installed)" };
        var cmd = new Command("report", "Write a static, self-contained HTML report (index.html with its images and data beside it) over run folders.");
        cmd.Arguments.Add(dirs);
        cmd.Options.Add(output);
        cmd.Options.Add(screenshot);
        cmd.SetAction(r =>
        {
            Run(r.GetValue(dirs)!, r.GetValue(output)!, r.GetValue(screenshot), Environment.GetCommandLineArgs().Skip(1));
            return 0;
        });
        return cmd;
    }

    /// <summary>Writes the report and, if asked and a browser is there, its screenshot; returns the index.html path.</summary>
    public static string Run(IReadOnlyList<string> dirs, string outDir, bool screenshot, IEnumerable<string> commandLine)
    {
        var result = ReportWriter.Write(dirs, outDir, commandLine);
        foreach (var s in result.Skipped) Terminal.Info($"report: skipped {s}");
        Terminal.Info($"report: {result.Runs} run folders; open {result.IndexPath}");
        if (screenshot)
        {
            string png = Path.Combine(Path.GetDirectoryName(result.IndexPath)!, ScreenshotName);
            Terminal.Info(HeadlessBrowser.TryScreenshot(result.IndexPath, png, out string reason)
                ? $"report: screenshot of the first screen in {png}"
                : $"report: no screenshot: {reason}");
        }
        return result.IndexPath;
    }
}
