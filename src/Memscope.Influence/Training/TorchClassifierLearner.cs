using Memscope.Core.Random;
using Memscope.Influence.Data;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Influence.Training;

/// <summary>
/// <c>mlp</c> (ReLU hidden layers) and <c>logistic</c> (one linear layer, softmax) trained with Adam on
/// cross-entropy, in TorchSharp. Initialization (PyTorch's Linear default, U(±1/√fan_in)) and the per-epoch shuffle
/// come from Memscope's keyed streams (seed, purpose, model), not from Torch's global generator, so models are
/// independent of each other and of thread scheduling. Call <see cref="TorchThreads.UseOnePerModel"/> once:
/// parallelism is across models, which keeps each model's arithmetic identical however models are grouped.
/// </summary>
public sealed class TorchClassifierLearner : IFzLearner
{
    private readonly ModelConfig _config;
    private readonly LabeledDataset _train, _test;
    private readonly ulong _seed;
    private readonly Device _device;
    private readonly Tensor _xTrain, _yTrain, _xTest;
    private readonly int[] _dims;

    public string Name => _config.Learner;

    public TorchClassifierLearner(ModelConfig config, LabeledDataset train, LabeledDataset test, ulong seed, string device)
    {
        TorchRuntime.EnsureLoaded();
        _config = config; _train = train; _test = test; _seed = seed;
        _device = TorchRuntime.Device(device);
        _xTrain = tensor(train.Features, [train.Count, train.Dim], device: _device);
        _yTrain = tensor(train.Labels.Select(l => (long)l).ToArray(), [train.Count], device: _device);
        _xTest = tensor(test.Features, [test.Count, test.Dim], device: _device);
        int classes = Math.Max(train.Classes, test.Classes);
        _dims = config.Learner == "logistic" ? [train.Dim, classes] : [train.Dim, .. config.Hidden, classes];
    }

    /// <summary>Trainable parameter count.</summary>
    public long ParameterCount => Enumerable.Range(0, _dims.Length - 1).Sum(l => (long)_dims[l] * _dims[l + 1] + _dims[l + 1]);

    public ModelResult Train(int model, bool[] mask)
    {
        using var scope = NewDisposeScope();
        var init = new Rng(_seed, "fz/init", (ulong)model);
        var parameters = new List<TorchSharp.Modules.Parameter>();
        for (int l = 0; l + 1 < _dims.Length; l++)
        {
            int fanIn = _dims[l], fanOut = _dims[l + 1];
            double bound = 1 / Math.Sqrt(fanIn);
            parameters.Add(new TorchSharp.Modules.Parameter(tensor(Uniform(init, fanOut * fanIn, bound), [fanOut, fanIn], device: _device)));
            parameters.Add(new TorchSharp.Modules.Parameter(tensor(Uniform(init, fanOut, bound), [fanOut], device: _device)));
        }
        var opt = optim.Adam(parameters, _config.LearningRate, weight_decay: _config.WeightDecay);
        var inIdx = Enumerable.Range(0, mask.Length).Where(i => mask[i]).ToArray();
        var shuffle = new Rng(_seed, "fz/shuffle", (ulong)model);
        double lastLoss = double.NaN;
        for (int epoch = 0; epoch < _config.Epochs; epoch++)
        {
            for (int i = inIdx.Length - 1; i > 0; i--) { int j = shuffle.NextInt(i + 1); (inIdx[i], inIdx[j]) = (inIdx[j], inIdx[i]); }
            double epochLoss = 0; int batches = 0;
            for (int start = 0; start < inIdx.Length; start += _config.BatchSize)
            {
                using var step = NewDisposeScope();
                int len = Math.Min(_config.BatchSize, inIdx.Length - start);
                var idx = tensor(inIdx.AsSpan(start, len).ToArray().Select(v => (long)v).ToArray(), [len], device: _device);
                var logits = Forward(parameters, _xTrain.index_select(0, idx));
                var loss = nn.functional.cross_entropy(logits, _yTrain.index_select(0, idx));
                opt.zero_grad();
                loss.backward();
                opt.step();
                epochLoss += loss.item<float>();
                batches++;
            }
            lastLoss = epochLoss / Math.Max(1, batches);
            if (!double.IsFinite(lastLoss))
                return new ModelResult { Model = model, FinalLoss = lastLoss, ExcludedReason = $"non-finite training loss ({lastLoss}) in epoch {epoch + 1}" };
        }
        using (no_grad())
        {
            var (trainCorrect, trainMargin) = Evaluate(parameters, _xTrain, _train.Labels);
            var (testCorrect, testMargin) = Evaluate(parameters, _xTest, _test.Labels);
            return new ModelResult
            {
                Model = model, TrainCorrect = trainCorrect, TrainMargin = trainMargin, TestCorrect = testCorrect, TestMargin = testMargin,
                FinalLoss = lastLoss,
            };
        }
    }

    private Tensor Forward(List<TorchSharp.Modules.Parameter> p, Tensor x)
    {
        for (int l = 0; l < p.Count; l += 2)
        {
            x = nn.functional.linear(x, p[l], p[l + 1]);
            if (l + 2 < p.Count) x = nn.functional.relu(x);
        }
        return x;
    }

    private (bool[] Correct, float[] Margin) Evaluate(List<TorchSharp.Modules.Parameter> p, Tensor x, int[] labels)
    {
        int n = labels.Length, classes = _dims[^1];
        var correct = new bool[n];
        var margin = new float[n];
        const int Chunk = 4096;
        for (int start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int len = Math.Min(Chunk, n - start);
            var logits = Forward(p, x.narrow(0, start, len)).cpu().data<float>().ToArray();
            for (int r = 0; r < len; r++)
            {
                var row = logits.AsSpan(r * classes, classes);
                int y = labels[start + r];
                correct[start + r] = Margins.ArgMax(row) == y;
                margin[start + r] = Margins.LogitMargin(row, y);
            }
        }
        return (correct, margin);
    }

    private static float[] Uniform(Rng rng, int count, double bound)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)((2 * rng.NextDouble() - 1) * bound);
        return a;
    }

    public void Dispose()
    {
        _xTrain.Dispose(); _yTrain.Dispose(); _xTest.Dispose();
    }
}
