using System.CommandLine;
using System.CommandLine.Help;
using Memscope.Cli.Commands;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Cli;

/// <summary>Entry point: parses the command line, runs one command, maps bad input to one line on stderr and exit code 2.</summary>
public static class Program
{
    public const int ExitUsage = 2;
    /// <summary>Exit code for an environment failure: disk full, read-only or unwritable output.</summary>
    public const int ExitIo = 1;

    public static int Main(string[] args)
    {
        var root = new RootCommand("Memscope: measure, bound and manage how much a learning algorithm memorizes of its training data.")
        {
            BoundCommand.Build(),
            SdpiCommand.Build(),
            AuditCommand.Build(),
            TradeoffCommand.Build(),
            MixtureCommand.Build(),
            DemoCommand.Build(),
            BenchCommand.Build(),
            FzCommand.Build(),
            DataCommand.Build(),
            FactsCommand.Build(),
            ReportCommand.Build(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            string cmd = parse.CommandResult.Command == root ? "memscope" : "memscope " + parse.CommandResult.Command.Name;
            Console.Error.WriteLine($"memscope: error: {parse.Errors[0].Message} (see '{cmd} --help')");
            return ExitUsage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception raw) when (OutputError.Unwrap(raw) is UsageException e)
        {
            // a parallel loop (model loading, training) reports a person's error wrapped: print it as one line
            Console.Error.WriteLine($"memscope: error: {e.Message}");
            return ExitUsage;
        }
        catch (Exception raw) when (OutputError.Describe(OutputError.Unwrap(raw)) is string line)
        {
            // disk full, read-only or permission denied: one line and exit 1; every write is temp-then-rename, so the
            // folder holds only complete files and the same command resumes
            Console.Error.WriteLine($"memscope: error: {line}");
            return ExitIo;
        }
        catch (Exception e)
        {
            var inner = OutputError.Unwrap(e);
            Console.Error.WriteLine($"memscope: internal error (please report it): {inner.GetType().Name}: {inner.Message}");
            Console.Error.WriteLine(inner.StackTrace);
            return 1;
        }
    }
}
