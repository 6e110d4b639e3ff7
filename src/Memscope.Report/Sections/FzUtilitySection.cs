namespace Memscope.Report.Sections;

/// <summary>`memscope fz utility`: the marginal utility of memorized examples (FZ Fig. 2).</summary>
public sealed class FzUtilitySection : IRunSection
{
    public bool Accepts(RunFolder run) => run.Command == "fz utility" && run.HasOutput("utility.json");

    public string Title(RunFolder run) => "Marginal utility of memorized examples (Feldman–Zhang Fig. 2)";

    public void Render(RunFolder run, ReportPage page)
    {
        var j = run.ReadJson("utility.json").AsObject();
        page.Figure(run, "utility.png", "Test-accuracy drop from removing the training examples with mem ≥ threshold, against removing as many random ones (± standard error over replicates).",
            [run.Manifest], "utility.csv", "utility.json");
        page.KeyValueTable(run, "utility.json", "", j, null, "Marginal utility");
    }
}
