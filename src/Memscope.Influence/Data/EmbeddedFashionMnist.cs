using System.Security.Cryptography;
using Memscope.Core;
using Memscope.Core.IO;

namespace Memscope.Influence.Data;

/// <summary>
/// A real Fashion-MNIST subset built into this assembly: the FIRST 5,000 training and the FIRST 1,000 test examples
/// of the original files, in order, as gzipped IDX. How they were made, and their digests: Data/Embedded/README.md.
/// </summary>
public static class EmbeddedFashionMnist
{
    public const string Source = "embedded:fashion-mnist-subset";
    public const int TrainCount = 5000;
    public const int TestCount = 1000;

    public const string TrainImagesName = "fashion-mnist-subset-train-images-idx3-ubyte.gz";
    public const string TrainLabelsName = "fashion-mnist-subset-train-labels-idx1-ubyte.gz";
    public const string TestImagesName = "fashion-mnist-subset-t10k-images-idx3-ubyte.gz";
    public const string TestLabelsName = "fashion-mnist-subset-t10k-labels-idx1-ubyte.gz";

    /// <summary>The name <see cref="Export"/> gives the Fashion-MNIST MIT license it writes next to the data.</summary>
    public const string LicenseName = "fashion-mnist-LICENSE";

    private const string ResourcePrefix = "Memscope.Influence.Data.Embedded.";

    /// <summary>The 5,000 training examples (784 features, pixel/255, 10 classes).</summary>
    public static LabeledDataset LoadTrain() => Load(TrainImagesName, TrainLabelsName);

    /// <summary>The 1,000 test examples (784 features, pixel/255, 10 classes).</summary>
    public static LabeledDataset LoadTest() => Load(TestImagesName, TestLabelsName);

    /// <summary>
    /// Writes the four gzipped IDX files and the license into <paramref name="dir"/> (created if needed, files
    /// replaced atomically), so they can be passed as paths, e.g. <c>DIR/fashion-mnist-subset-train-images-idx3-ubyte.gz</c>.
    /// </summary>
    public static IdxSplitFiles Export(string dir)
    {
        foreach (string name in new[] { TrainImagesName, TrainLabelsName, TestImagesName, TestLabelsName, LicenseName })
            AtomicFile.WriteAllBytes(Path.Combine(dir, name), Resource(name == LicenseName ? "LICENSE" : name));
        return new IdxSplitFiles(Path.Combine(dir, TrainImagesName), Path.Combine(dir, TrainLabelsName),
            Path.Combine(dir, TestImagesName), Path.Combine(dir, TestLabelsName));
    }

    private static LabeledDataset Load(string imagesName, string labelsName)
    {
        byte[] imagesGz = Resource(imagesName), labelsGz = Resource(labelsName);
        string imagesWhere = $"{Source}/{imagesName}", labelsWhere = $"{Source}/{labelsName}";
        var images = IdxFile.Read(new MemoryStream(imagesGz, writable: false), imagesWhere, "pixels");
        var labels = IdxFile.Read(new MemoryStream(labelsGz, writable: false), labelsWhere, "labels");
        var sha = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [imagesName] = Convert.ToHexStringLower(SHA256.HashData(imagesGz)),
            [labelsName] = Convert.ToHexStringLower(SHA256.HashData(labelsGz)),
        };
        return IdxDataset.FromArrays(images, labels, imagesWhere, labelsWhere, Source, sha);
    }

    private static byte[] Resource(string name)
    {
        using var s = typeof(EmbeddedFashionMnist).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"resource {ResourcePrefix + name} is missing from {typeof(EmbeddedFashionMnist).Assembly.GetName().Name}; the build is broken");
        var bytes = new byte[s.Length];
        s.ReadExactly(bytes);
        return bytes;
    }
}
