using Memscope.Report;

namespace Memscope.Tests.Report;

/// <summary>
/// A test that needs the system's headless Chromium (apt-get install chromium). Without it the test is skipped with
/// that reason, unless MEMSCOPE_BROWSER_TEST=required (set by .ci/run), where it runs and fails with a clear message.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string RequiredVariable = "MEMSCOPE_BROWSER_TEST";

    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) == "required";

    public ChromiumFactAttribute()
    {
        if (HeadlessBrowser.Find() is null && !Required)
            Skip = $"no chromium on this machine (apt-get install chromium, or set {HeadlessBrowser.EnvironmentVariable}); " +
                   $"set {RequiredVariable}=required to make this a failure";
    }
}
