using Memscope.Core;

namespace Memscope.Influence.Data;

/// <summary>Loads a data set from a path: <c>.csv</c> files as CSV, anything else by content as IDX (raw or gzipped).</summary>
public static class DatasetLoader
{
    public static LabeledDataset Load(string path)
    {
        UsageException.Require(!Directory.Exists(path),
            $"{path}: is a folder; pass a file: an IDX images file (e.g. train-images-idx3-ubyte.gz) or a .csv");
        UsageException.Require(File.Exists(path),
            $"{path}: no such file; pass an IDX images file (e.g. train-images-idx3-ubyte.gz) or a .csv with a 'label' column");
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase)) return CsvDataset.Load(path);
        UsageException.Require(IdxFile.HasIdxMagic(path),
            $"{path}: neither a .csv file nor an IDX file (raw or gzipped); pass an IDX images file or a CSV named *.csv");
        return IdxDataset.Load(path);
    }
}
