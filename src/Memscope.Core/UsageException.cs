namespace Memscope.Core;

/// <summary>
/// Bad input from a person: a wrong option value, a corrupt file, an impossible shape. The message is one
/// line that says what was wrong, where, and what to do. The CLI prints it and exits with code 2.
/// </summary>
public sealed class UsageException(string message) : Exception(message)
{
    /// <summary>Throws when <paramref name="ok"/> is false.</summary>
    public static void Require(bool ok, string message)
    {
        if (!ok) throw new UsageException(message);
    }
}
