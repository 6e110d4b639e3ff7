namespace Memscope.Influence.Data;

/// <summary>
/// A classification data set in memory: <see cref="Count"/> examples of <see cref="Dim"/> float features
/// (row-major) with integer labels in [0, <see cref="Classes"/>), plus where it came from: a source description,
/// the SHA-256 of each raw input file, and how the features were normalized.
/// </summary>
public sealed class LabeledDataset
{
    /// <summary>Features, <see cref="Count"/> × <see cref="Dim"/>, row-major: example i is [i·Dim, (i+1)·Dim).</summary>
    public float[] Features { get; }

    /// <summary>Labels, one per example, each in [0, <see cref="Classes"/>).</summary>
    public int[] Labels { get; }

    public int Count { get; }
    public int Dim { get; }

    /// <summary>The number of classes (max label + 1 of the file the data came from).</summary>
    public int Classes { get; }

    /// <summary>Image rows and columns when the features are a 2-D image (Rows·Cols == Dim); null for CSV data.</summary>
    public (int Rows, int Cols)? ImageShape { get; }

    /// <summary>Where the data came from: a file path or e.g. "embedded:fashion-mnist-subset".</summary>
    public string Source { get; }

    /// <summary>File name → lowercase hex SHA-256 of each raw input file.</summary>
    public IReadOnlyDictionary<string, string> Sha256 { get; }

    /// <summary>How features were derived from the raw values: "pixel/255" or "none".</summary>
    public string Normalization { get; }

    public LabeledDataset(float[] features, int[] labels, int dim, int classes, (int Rows, int Cols)? imageShape,
        string source, IReadOnlyDictionary<string, string> sha256, string normalization)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if ((long)labels.Length * dim != features.Length)
            throw new ArgumentException($"{features.Length} features are not {labels.Length} examples × {dim}", nameof(features));
        if (imageShape is { } s && (s.Rows <= 0 || s.Cols <= 0 || (long)s.Rows * s.Cols != dim))
            throw new ArgumentException($"image shape {s.Rows}×{s.Cols} does not match dim {dim}", nameof(imageShape));
        foreach (int y in labels)
            if ((uint)y >= (uint)classes)
                throw new ArgumentException($"label {y} is outside [0, {classes})", nameof(labels));

        Features = features;
        Labels = labels;
        Count = labels.Length;
        Dim = dim;
        Classes = classes;
        ImageShape = imageShape;
        Source = source;
        Sha256 = sha256;
        Normalization = normalization;
    }

    /// <summary>The features of example <paramref name="i"/>.</summary>
    public ReadOnlySpan<float> Row(int i) => Features.AsSpan(checked(i * Dim), Dim);

    /// <summary>How many examples carry each label, indexed by class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }

    /// <summary>
    /// The examples at <paramref name="indices"/>, in that order (repeats allowed). The subset keeps
    /// <see cref="Classes"/>, <see cref="ImageShape"/>, <see cref="Source"/>, <see cref="Sha256"/> and
    /// <see cref="Normalization"/> of this set: it is derived from the same inputs.
    /// </summary>
    public LabeledDataset Subset(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var features = new float[(long)indices.Length * Dim];
        var labels = new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} at position {k} is outside [0, {Count})");
            Row(i).CopyTo(features.AsSpan(k * Dim, Dim));
            labels[k] = Labels[i];
        }
        return new LabeledDataset(features, labels, Dim, Classes, ImageShape, Source, Sha256, Normalization);
    }
}
