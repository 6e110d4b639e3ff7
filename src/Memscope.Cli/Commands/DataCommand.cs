using System.CommandLine;
using Memscope.Cli.Output;
using Memscope.Influence.Data;

namespace Memscope.Cli.Commands;

/// <summary><c>memscope data</c>: find Fashion-MNIST and check its digests, or export the embedded subset.</summary>
public static class DataCommand
{
    public static Command Build()
    {
        var dir = new Option<string?>("--data") { Description = $"Folder with the four Fashion-MNIST .gz files (default {FashionMnist.DefaultDir})" };
        var export = new Option<string?>("--export-embedded") { Description = "Write the embedded 5,000/1,000 subset as IDX files into this folder" };
        var cmd = new Command("data", "Locate Fashion-MNIST (Debian package dataset-fashion-mnist) and verify its SHA-256 digests, or export the embedded subset.");
        cmd.Options.Add(dir); cmd.Options.Add(export);
        cmd.SetAction(r =>
        {
            if (r.GetValue(export) is string target)
            {
                var files = EmbeddedFashionMnist.Export(target);
                Console.WriteLine($"embedded Fashion-MNIST subset written: {files.TrainImages}, {files.TestImages} (labels beside them)");
                return 0;
            }
            var found = FashionMnist.Locate(r.GetValue(dir));
            var train = FashionMnist.LoadTrain(r.GetValue(dir));
            var test = FashionMnist.LoadTest(r.GetValue(dir));
            Console.WriteLine($"Fashion-MNIST found, SHA-256 verified: {train.Count} training and {test.Count} test images of {train.Dim} pixels, {train.Classes} classes");
            Console.WriteLine($"  --train {found.TrainImages}");
            Console.WriteLine($"  --test  {found.TestImages}");
            return 0;
        });
        return cmd;
    }
}
