namespace Memscope.Influence.Training;

/// <summary>
/// The numerical guard every trained model passes before it is stored: a non-finite final loss, or a non-finite
/// margin (LiRA's φ) on any example, excludes the model with a recorded reason. An excluded model keeps only its mask
/// and <c>model.json</c>; every estimator leaves it out and counts it, so one diverged model cannot poison the
/// aggregate (a NaN in one row would otherwise turn LiRA's Gaussian fits, and so every score, into NaN).
/// </summary>
public static class ModelGuard
{
    /// <summary><paramref name="result"/> unchanged when it is sound (or already excluded); else the excluded version with the reason.</summary>
    public static ModelResult Check(ModelResult result)
    {
        if (result.Excluded) return result;
        string? reason = null;
        if (!double.IsFinite(result.FinalLoss)) reason = $"non-finite training loss ({result.FinalLoss})";
        else if (FirstNonFinite(result.TrainMargin) is int i) reason = $"non-finite margin ({result.TrainMargin[i]}) on training example {i}";
        else if (FirstNonFinite(result.TestMargin) is int j) reason = $"non-finite margin ({result.TestMargin[j]}) on test example {j}";
        return reason is null ? result : new ModelResult { Model = result.Model, FinalLoss = result.FinalLoss, ExcludedReason = reason };
    }

    private static int? FirstNonFinite(float[] values)
    {
        for (int i = 0; i < values.Length; i++) if (!float.IsFinite(values[i])) return i;
        return null;
    }
}
