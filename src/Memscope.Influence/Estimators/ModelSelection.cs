using Memscope.Core;

namespace Memscope.Influence.Estimators;

/// <summary>
/// The models an estimate uses: all of them, or those with <c>included[m] == true</c> (a model whose training
/// diverged, e.g. with a NaN loss, is excluded and must not count as either an IN or an OUT model).
/// </summary>
public sealed class ModelSelection
{
    private ModelSelection(int total, int[] used)
    {
        Total = total;
        Used = used;
    }

    /// <summary>Number of models in the outputs.</summary>
    public int Total { get; }

    /// <summary>Indices of the included models, ascending.</summary>
    public int[] Used { get; }

    /// <summary>Number of excluded models.</summary>
    public int Excluded => Total - Used.Length;

    /// <summary>Selects the models of <paramref name="outputs"/> marked in <paramref name="included"/> (null: all).</summary>
    public static ModelSelection From(ModelOutputs outputs, bool[]? included)
    {
        int t = outputs.Models;
        if (included is null) return new ModelSelection(t, Enumerable.Range(0, t).ToArray());
        UsageException.Require(included.Length == t,
            $"the included-model list has {included.Length} entries but there are {t} models");
        var used = new List<int>(t);
        for (int m = 0; m < t; m++)
            if (included[m]) used.Add(m);
        UsageException.Require(used.Count > 0, $"all {t} models are excluded; nothing to estimate from");
        return new ModelSelection(t, used.ToArray());
    }
}
