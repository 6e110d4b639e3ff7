using System.Reflection;

namespace Memscope.Core.IO;

/// <summary>The version of the code that produced a result: the assembly's informational version, which the
/// .NET SDK stamps with the git commit ("0.1.0+&lt;sha&gt;").</summary>
public static class CodeVersion
{
    public static string Current { get; } =
        typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CodeVersion).Assembly.GetName().Version?.ToString() ?? "unknown";
}
