using System.Diagnostics;

namespace Memscope.Report;

/// <summary>
/// The system's headless Chromium, for a screenshot of the report's first screen. Found at $MEMSCOPE_CHROMIUM, else
/// chromium / chromium-browser / google-chrome on PATH. Runs with --no-sandbox (needed as root).
/// </summary>
public static class HeadlessBrowser
{
    public const string EnvironmentVariable = "MEMSCOPE_CHROMIUM";

    /// <summary>The browser's path, or null when none is installed.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env) return File.Exists(env) ? env : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            {
                string p = Path.Combine(dir, name);
                if (File.Exists(p)) return p;
            }
        return null;
    }

    /// <summary>Writes a PNG of the page's first screen (width × height CSS pixels); returns false (with the reason) if it could not.</summary>
    public static bool TryScreenshot(string htmlPath, string pngPath, out string reason, int width = 1280, int height = 900)
    {
        string? browser = Find();
        if (browser is null) { reason = $"no chromium found (install it with apt-get install chromium, or set {EnvironmentVariable})"; return false; }
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pngPath))!, $".{Path.GetFileNameWithoutExtension(pngPath)}.tmp-{Guid.NewGuid():N}.png");
        string profile = Path.Combine(Path.GetTempPath(), "memscope-chromium-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo(browser)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", $"--screenshot={tmp}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri })
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEndAsync();
            var err = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000)) { p.Kill(true); reason = "chromium did not finish within 2 minutes"; return false; }
            if (!File.Exists(tmp) || new FileInfo(tmp).Length == 0) { reason = $"chromium exited with code {p.ExitCode} and wrote no screenshot: {err.Result.Trim().Split('\n').LastOrDefault()}"; return false; }
            File.Move(tmp, pngPath, overwrite: true);
            reason = "";
            return true;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            reason = $"could not run {browser}: {e.Message}";
            return false;
        }
        finally
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); } catch (IOException) { }
            try { if (Directory.Exists(profile)) Directory.Delete(profile, true); } catch (IOException) { }
        }
    }
}
