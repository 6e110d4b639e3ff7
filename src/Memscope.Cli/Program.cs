using System.CommandLine;
using System.CommandLine.Help;
using Memscope.Cli.Commands;
using Memscope.Core;

namespace Memscope.Cli;

/// <summary>Entry point: parses the command line, runs one command, maps bad input to one line on stderr and exit code 2.</summary>
public static class Program
{
    public const int ExitUsage = 2;

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
        catch (UsageException e)
        {
            Console.Error.WriteLine($"memscope: error: {e.Message}");
            return ExitUsage;
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.FirstOrDefault(x => x is UsageException) is UsageException u)
        {
            // a parallel loop (model loading, training) reports a person's error wrapped: print it as one line
            Console.Error.WriteLine($"memscope: error: {u.Message}");
            return ExitUsage;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"memscope: error: cannot write output: {e.Message}; check the --out folder's permissions and free space");
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"memscope: internal error (please report it): {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine(e.StackTrace);
            return 1;
        }
    }
}
