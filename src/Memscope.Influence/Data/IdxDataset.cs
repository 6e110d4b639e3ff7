using System.Text.RegularExpressions;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Influence.Data;

/// <summary>
/// Loads an MNIST-style pair of IDX files: an images file (count × rows × cols, or count × features) and the labels
/// file beside it, found by the usual naming. Features are pixel/255 as float32.
/// </summary>
public static partial class IdxDataset
{
    /// <summary>The normalization applied to IDX pixels.</summary>
    public const string PixelNormalization = "pixel/255";

    /// <summary>
    /// Loads <paramref name="imagesPath"/> and its labels file: <c>X-images-idx3-ubyte[.gz]</c> ↔
    /// <c>X-labels-idx1-ubyte[.gz]</c> (e.g. train, t10k) or <c>X-images.idx3-ubyte[.gz]</c> ↔
    /// <c>X-labels.idx1-ubyte[.gz]</c>.
    /// </summary>
    public static LabeledDataset Load(string imagesPath)
    {
        UsageException.Require(File.Exists(imagesPath), $"{imagesPath}: no such file; check the path");
        string labelsPath = FindLabels(imagesPath);
        var images = IdxFile.Read(imagesPath, "pixels");
        var labels = IdxFile.Read(labelsPath, "labels");
        var sha = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Path.GetFileName(imagesPath)] = RunManifest.Sha256File(imagesPath),
            [Path.GetFileName(labelsPath)] = RunManifest.Sha256File(labelsPath),
        };
        return FromArrays(images, labels, imagesPath, labelsPath, Path.GetFullPath(imagesPath), sha);
    }

    /// <summary>The labels file that belongs to <paramref name="imagesPath"/>; a <see cref="UsageException"/> naming the candidates if none exists.</summary>
    public static string FindLabels(string imagesPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(imagesPath))!;
        string name = Path.GetFileName(imagesPath);
        bool gz = name.EndsWith(".gz", StringComparison.Ordinal);
        string stem = gz ? name[..^3] : name;

        UsageException.Require(!LabelsName().IsMatch(stem),
            $"{imagesPath}: this is a labels file; pass the images file (…-images-idx3-ubyte[.gz]) and the labels are found beside it");
        var m = ImagesName().Match(stem);
        UsageException.Require(m.Success,
            $"{imagesPath}: cannot tell the labels file from this name; name the images file X-images-idx3-ubyte[.gz] " +
            "(or X-images.idx3-ubyte) with X-labels-idx1-ubyte[.gz] (or X-labels.idx1-ubyte) beside it");

        string labelsStem = stem[..m.Index] + "labels" + m.Groups[1].Value + "idx1-ubyte" + stem[(m.Index + m.Length)..];
        string[] candidates = gz ? [labelsStem + ".gz", labelsStem] : [labelsStem, labelsStem + ".gz"];
        foreach (string c in candidates)
        {
            string p = Path.Combine(dir, c);
            if (File.Exists(p)) return p;
        }
        throw new UsageException(
            $"{imagesPath}: no labels file beside it (tried {string.Join(" and ", candidates)} in {dir}); put the labels file there");
    }

    /// <summary>
    /// Builds a data set from parsed images and labels, checking their shapes agree. <paramref name="imagesWhere"/>
    /// and <paramref name="labelsWhere"/> name the inputs in errors.
    /// </summary>
    public static LabeledDataset FromArrays(IdxArray images, IdxArray labels, string imagesWhere, string labelsWhere,
        string source, IReadOnlyDictionary<string, string> sha256)
    {
        UsageException.Require(images.Dims.Length >= 2,
            $"{imagesWhere}: has {images.Dims.Length} dimension (a labels file?); pass the images file (count × rows × cols)");
        UsageException.Require(labels.Dims.Length == 1,
            $"{labelsWhere}: labels file has {labels.Dims.Length} dimensions, not 1; pass the …-labels-idx1-ubyte file");
        int count = images.Dims[0];
        UsageException.Require(count == labels.Dims[0],
            $"{imagesWhere}: {count} images but {labelsWhere} has {labels.Dims[0]} labels; use the images and labels files of the same split");
        UsageException.Require(count > 0, $"{imagesWhere}: holds no images; pass a non-empty file");
        int dim = images.Dims.Skip(1).Aggregate(1, (p, d) => p * d);
        UsageException.Require(dim > 0, $"{imagesWhere}: images have size 0 ([{string.Join(", ", images.Dims)}]); pass a non-empty file");

        var y = new int[count];
        int max = 0;
        for (int i = 0; i < count; i++)
        {
            y[i] = labels.Data[i];   // unsigned bytes: always in [0, 255]
            if (y[i] > max) max = y[i];
        }
        int classes = max + 1;
        UsageException.Require(classes >= 2,
            $"{labelsWhere}: every label is {max}, so there is only one class; a classifier needs at least two");

        var x = new float[images.Data.Length];
        for (int i = 0; i < x.Length; i++) x[i] = images.Data[i] / 255f;
        (int, int)? shape = images.Dims.Length == 3 ? (images.Dims[1], images.Dims[2]) : null;
        return new LabeledDataset(x, y, dim, classes, shape, source, sha256, PixelNormalization);
    }

    [GeneratedRegex(@"images([-.])idx3-ubyte")]
    private static partial Regex ImagesName();

    [GeneratedRegex(@"labels[-.]idx1-ubyte")]
    private static partial Regex LabelsName();
}
