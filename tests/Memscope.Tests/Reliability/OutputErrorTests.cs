using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Tests.Reliability;

/// <summary>The CLI's one-line messages for I/O failures (errno in HResult on Unix), including ones a parallel loop wraps.</summary>
public class OutputErrorTests
{
    [SkippableTheory]
    [InlineData(28, "no space left on the device", "free some space")]
    [InlineData(122, "disk quota exceeded", "free some space")]
    [InlineData(30, "read-only file system", "choose a writable --out")]
    [InlineData(13, "permission denied", "choose a writable --out")]
    [InlineData(5, "cannot read or write a file", "check the paths")]
    public void ErrnoBecomesOneClearLine(int errno, string what, string todo)
    {
        Skip.IfNot(!OperatingSystem.IsWindows());
        var e = new AggregateException(new IOException($"Some failure :\n '/out/x'", errno), new InvalidOperationException("other"));
        string? line = OutputError.Describe(OutputError.Unwrap(e));
        Assert.NotNull(line);
        Assert.StartsWith(what + ": ", line);
        Assert.Contains(todo, line);
        Assert.Contains("rerun the same command to resume", line);
        Assert.DoesNotContain("\n", line);
    }

    [Fact]
    public void UnauthorizedAccessIsPermissionDeniedAndOtherErrorsAreNotIoErrors()
    {
        Assert.StartsWith("permission denied", OutputError.Describe(new UnauthorizedAccessException("Access to the path '/out' is denied.")));
        Assert.Null(OutputError.Describe(new InvalidOperationException("bug")));
        var usage = new UsageException("bad");
        Assert.Same(usage, OutputError.Unwrap(new AggregateException(new IOException("x"), new AggregateException(usage))));
    }
}
