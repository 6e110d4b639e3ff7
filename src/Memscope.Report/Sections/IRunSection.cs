namespace Memscope.Report.Sections;

/// <summary>How the report shows one kind of run folder (chosen by the command recorded in its run.json).</summary>
public interface IRunSection
{
    /// <summary>Whether this section shows <paramref name="run"/>: its command, and the files it needs listed in run.json.</summary>
    bool Accepts(RunFolder run);

    /// <summary>The section's heading.</summary>
    string Title(RunFolder run);

    /// <summary>Adds the figures and tables to the page.</summary>
    void Render(RunFolder run, ReportPage page);
}
