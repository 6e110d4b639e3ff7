using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Influence.Data;

/// <summary>Paths of the four Fashion-MNIST-style files of a train/test split.</summary>
public sealed record IdxSplitFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels);

/// <summary>
/// The full Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT license, © 2017 Zalando SE): finds the four original
/// gzipped IDX files and checks their published SHA-256 digests. The Debian package dataset-fashion-mnist installs
/// them in <see cref="DefaultDir"/>.
/// </summary>
public static class FashionMnist
{
    public const string DefaultDir = "/usr/share/datasets/fashion-mnist";

    public const string TrainImagesName = "train-images-idx3-ubyte.gz";
    public const string TrainLabelsName = "train-labels-idx1-ubyte.gz";
    public const string TestImagesName = "t10k-images-idx3-ubyte.gz";
    public const string TestLabelsName = "t10k-labels-idx1-ubyte.gz";

    /// <summary>File name → SHA-256 of the original distribution files.</summary>
    public static readonly IReadOnlyDictionary<string, string> Digests = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [TestImagesName] = "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        [TestLabelsName] = "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
        [TrainImagesName] = "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        [TrainLabelsName] = "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    };

    /// <summary>The ten class names, indexed by label.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The four files in <paramref name="dir"/> (or <see cref="DefaultDir"/> when null), after checking each one's
    /// SHA-256. Throws <see cref="UsageException"/> when a file is missing or differs from the original.
    /// </summary>
    public static IdxSplitFiles Locate(string? dir)
    {
        string d = dir ?? DefaultDir;
        var missing = Digests.Keys.Where(n => !File.Exists(Path.Combine(d, n))).ToList();
        UsageException.Require(missing.Count == 0,
            $"Fashion-MNIST not found in {d} (missing {string.Join(", ", missing)}); " +
            "install it with `sudo apt-get install dataset-fashion-mnist` or pass --data DIR");
        foreach (var (name, want) in Digests)
        {
            string path = Path.Combine(d, name);
            string got = RunManifest.Sha256File(path);
            UsageException.Require(got == want,
                $"{path}: SHA-256 is {got} but the original Fashion-MNIST file has {want}; download it again or reinstall dataset-fashion-mnist");
        }
        return new IdxSplitFiles(Path.Combine(d, TrainImagesName), Path.Combine(d, TrainLabelsName),
            Path.Combine(d, TestImagesName), Path.Combine(d, TestLabelsName));
    }

    /// <summary>The 60,000 training examples, after <see cref="Locate"/>.</summary>
    public static LabeledDataset LoadTrain(string? dir) => IdxDataset.Load(Locate(dir).TrainImages);

    /// <summary>The 10,000 test examples, after <see cref="Locate"/>.</summary>
    public static LabeledDataset LoadTest(string? dir) => IdxDataset.Load(Locate(dir).TestImages);
}
