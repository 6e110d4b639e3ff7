using System.Globalization;
using ScottPlot;

namespace Memscope.Cli.Output;

/// <summary>
/// Log-scale axes for ScottPlot: the data are plotted as log10 values, and this tick generator labels integer
/// powers of ten with their value (1, 10, 1,000; 0.01 below one) and adds log-spaced minor ticks.
/// </summary>
public static class LogAxis
{
    public static void Apply(IAxis axis) => axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = Label,
    };

    /// <summary>The label of the tick at log10 value <paramref name="v"/>.</summary>
    public static string Label(double v)
    {
        double x = Math.Pow(10, v);
        return x >= 1 ? x.ToString("N0", CultureInfo.InvariantCulture) : x.ToString("G3", CultureInfo.InvariantCulture);
    }
}
