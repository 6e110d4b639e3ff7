using System.Collections.Concurrent;
using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Influence.Data;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Influence.Training;

/// <summary>
/// <c>logistic</c> trained G models at a time (a batched ensemble, <c>--ensemble G</c>), giving every model exactly the
/// bits <see cref="TorchClassifierLearner"/> gives it alone. Per model: parameters W [C × d] then b [C] (one row of a
/// stacked [G × P'] buffer, P' = C·d + C rounded up to 64 bytes), init U(±1/√d) from (seed, "fz/init", m), the
/// per-epoch Fisher–Yates shuffle from (seed, "fz/shuffle", m), and per mini-batch X [L × d] with labels y:
/// <list type="bullet">
/// <item>forward Zᵀ = W·Xᵀ + b (the bias copied in, then one batched product with β = 1, as <c>addmm</c>);</item>
/// <item>softmax cross-entropy gradient Gᵀ = (softmax(Z) − onehot(y))ᵀ / L, db = Σ_rows G, and Σ log softmax(Z)_y / L,
/// one pass per model over its logits (log-sum-exp in double);</item>
/// <item>dW = Gᵀ·X (one batched product with β = 0), written straight into the stacked gradient buffer;</item>
/// <item>Adam (<see cref="FusedAdam"/>) on the model's own row, with its own step count.</item>
/// </list>
/// The two products for all G models are one native call each (<see cref="BatchedProducts"/>: ATen's baddbmm_ on
/// slices padded apart, which computes each slice with the single model's <c>addmm_</c>); the shuffled batches of
/// the G models are gathered into one buffer, each model's block at the same 64-byte offset as in the single-model
/// path's epoch tensor, since MKL's summation order may depend on alignment. A step where the models' batch lengths
/// differ (LiRA mode: subset sizes differ by model, so some models have a shorter last batch or one batch more), a
/// model excluded for a non-finite loss, or a product too small for the per-slice branch, runs model by model with
/// the single-model operations. Tests: <c>EnsembleTests</c> (stored files byte-identical for G = 1, 3, 8; gradient
/// against autograd; resume with another G).
/// </summary>
public sealed class LogisticEnsembleLearner : IFzGroupLearner
{
    private const int AlignFloats = 16;   // 64 bytes
    private readonly ModelConfig _config;
    private readonly LabeledDataset _train, _test;
    private readonly ulong _seed;
    private readonly Tensor _xTrain, _xTest;
    private readonly int _dim, _classes;
    private readonly long _weights, _params, _stride;   // C·d; P = C·d + C; P rounded up to 64 bytes
    private readonly ConcurrentDictionary<int, bool> _verified = new();   // batch length → batched products checked at that shape

    public string Name => _config.Learner;
    public int GroupSize { get; }

    /// <summary>Whether full batches use the batched products (false: LibTorch entry point missing or self-check failed; results are the same, only slower).</summary>
    public bool Batched => Verified(_config.BatchSize);

    /// <summary>Whether a step of <paramref name="rows"/> rows may use the batched products: checked once per shape with <see cref="BatchedProducts.SelfCheck"/>.</summary>
    private bool Verified(int rows) => _verified.GetOrAdd(rows, l => BatchedProducts.SelfCheck(_classes, _dim, l));

    public LogisticEnsembleLearner(ModelConfig config, LabeledDataset train, LabeledDataset test, ulong seed, int groupSize, string device = "cpu")
    {
        config.Validate();
        UsageException.Require(config.Learner == "logistic", $"--ensemble > 1 trains logistic models only, got --learner {config.Learner}");
        UsageException.Require(groupSize >= 1, $"--ensemble must be ≥ 1, got {groupSize}");
        TorchThreads.UseOnePerModel();
        UsageException.Require(TorchRuntime.Device(device).type == DeviceType.CPU,
            $"--ensemble > 1 runs on the CPU only (its bit-identity rests on LibTorch's CPU kernels); use --ensemble 1 with --device {device}");
        _config = config; _train = train; _test = test; _seed = seed; GroupSize = groupSize;
        _dim = train.Dim;
        _classes = Math.Max(train.Classes, test.Classes);
        _weights = (long)_classes * _dim;
        _params = _weights + _classes;
        _stride = RoundUp(_params);
        _xTrain = TensorMemory.Copy(train.Features, [train.Count, train.Dim]);
        _xTest = TensorMemory.Copy(test.Features, [test.Count, test.Dim]);
    }

    private static long RoundUp(long floats) => (floats + AlignFloats - 1) / AlignFloats * AlignFloats;

    public ModelResult Train(int model, bool[] mask) => TrainGroup([model], [mask])[0];

    public ModelResult[] TrainGroup(IReadOnlyList<int> models, IReadOnlyList<bool[]> masks)
    {
        int g = models.Count, batch = _config.BatchSize, classes = _classes, dim = _dim;
        if (g == 0 || masks.Count != g) throw new ArgumentException("one mask per model");
        TorchThreads.UseOnePerModel();   // per thread: this is the thread that trains
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var param = zeros(g, _stride);
        var grad = zeros(g, _stride);
        {
            var p = TensorMemory.Float32(param);
            double bound = 1 / Math.Sqrt(dim);
            for (int j = 0; j < g; j++)
            {
                var init = new Rng(_seed, "fz/init", (ulong)models[j]);
                for (long i = 0; i < _params; i++) p[(int)(j * _stride + i)] = (float)((2 * init.NextDouble() - 1) * bound);
            }
        }
        var w = new Tensor[g]; var bCol = new Tensor[g]; var dw = new Tensor[g]; var db = new Tensor[g];
        var adam = new FusedAdam[g];
        for (int j = 0; j < g; j++)
        {
            var row = param[j].narrow(0, 0, _params);
            var gRow = grad[j].narrow(0, 0, _params);
            w[j] = row.narrow(0, 0, _weights).view(classes, dim);
            bCol[j] = row.narrow(0, _weights, classes).view(classes, 1);
            dw[j] = gRow.narrow(0, 0, _weights).view(classes, dim);
            db[j] = gRow.narrow(0, _weights, classes);
            adam[j] = new FusedAdam(row, gRow, _config.LearningRate, _config.WeightDecay);
        }
        try
        {
            var w3 = param.as_strided([g, classes, dim], [_stride, dim, 1]);
            var dw3 = grad.as_strided([g, classes, dim], [_stride, dim, 1]);
            // one slot per model for its batch, 64-byte aligned, plus room for the single-model path's offset within 64 bytes
            long xSlot = RoundUp((long)batch * dim + AlignFloats);
            var xBuf = empty(g * xSlot);
            long zSlot = RoundUp((long)classes * batch + 1);   // > C·L: the batched result is never contiguous
            var zBuf = empty(g * zSlot);

            var inIdx = new int[g][];
            var shuffle = new Rng[g];
            var lastLoss = new double[g];
            var excluded = new string?[g];
            for (int j = 0; j < g; j++)
            {
                inIdx[j] = Enumerable.Range(0, masks[j].Length).Where(i => masks[j][i]).ToArray();
                shuffle[j] = new Rng(_seed, "fz/shuffle", (ulong)models[j]);
                lastLoss[j] = double.NaN;
            }
            var logLik = new double[g];
            var batches = new int[g];
            var active = new List<int>(g);
            var labels = new int[batch];
            for (int epoch = 0; epoch < _config.Epochs; epoch++)
            {
                int steps = 0;
                for (int j = 0; j < g; j++)
                {
                    if (excluded[j] is not null) continue;
                    var idx = inIdx[j];
                    for (int i = idx.Length - 1; i > 0; i--) { int k = shuffle[j].NextInt(i + 1); (idx[i], idx[k]) = (idx[k], idx[i]); }
                    steps = Math.Max(steps, (idx.Length + batch - 1) / batch);
                    logLik[j] = 0; batches[j] = 0;
                }
                for (int step = 0; step < steps; step++)
                {
                    using var stepScope = NewDisposeScope();
                    int start = step * batch, len = -1;
                    bool uniform = true;
                    active.Clear();
                    for (int j = 0; j < g; j++)
                    {
                        if (excluded[j] is not null) { uniform = false; continue; }
                        if (start >= inIdx[j].Length) { uniform = false; continue; }
                        int l = Math.Min(batch, inIdx[j].Length - start);
                        if (len >= 0 && l != len) uniform = false;
                        len = l;
                        active.Add(j);
                    }
                    // the single-model path's batch starts at start·d floats into a 64-byte aligned epoch tensor
                    int shift = (int)((long)start * dim % AlignFloats);
                    {
                        var xs = TensorMemory.Float32(_xTrain);
                        var xb = TensorMemory.Float32(xBuf);
                        foreach (int j in active)
                        {
                            int l = Math.Min(batch, inIdx[j].Length - start);
                            for (int r = 0; r < l; r++)
                                xs.Slice(inIdx[j][start + r] * dim, dim).CopyTo(xb.Slice((int)(j * xSlot + shift + (long)r * dim), dim));
                        }
                    }
                    if (uniform && g >= 2 && Verified(len))
                    {
                        var x3 = xBuf.as_strided([g, len, dim], [xSlot, dim, 1], shift);
                        var z3 = zBuf.as_strided([g, classes, len], [zSlot, len, 1]);
                        z3.copy_(param.as_strided([g, classes, len], [_stride, 1, 0], _weights));
                        BatchedProducts.AddInPlace(z3, w3, x3.transpose(1, 2), keepResult: true);   // Zᵀ = W·Xᵀ + b
                        var zs = TensorMemory.Float32(zBuf);
                        var gs = TensorMemory.Float32(grad);
                        for (int j = 0; j < g; j++)
                        {
                            for (int r = 0; r < len; r++) labels[r] = _train.Labels[inIdx[j][start + r]];
                            logLik[j] += TorchClassifierLearner.SoftmaxGradientInPlace(zs.Slice((int)(j * zSlot), classes * len), default,
                                gs.Slice((int)(j * _stride + _weights), classes), len, labels.AsSpan(0, len));
                        }
                        BatchedProducts.AddInPlace(dw3, z3, x3, keepResult: false);                   // dW = Gᵀ·X
                        for (int j = 0; j < g; j++) { adam[j].Step(); batches[j]++; }
                    }
                    else
                    {
                        foreach (int j in active)
                        {
                            using var one = NewDisposeScope();
                            int l = Math.Min(batch, inIdx[j].Length - start);
                            var x = xBuf.narrow(0, j * xSlot + shift, (long)l * dim).view(l, dim);
                            var z = addmm(bCol[j], w[j], x.t(), 1, 1);
                            for (int r = 0; r < l; r++) labels[r] = _train.Labels[inIdx[j][start + r]];
                            logLik[j] += TorchClassifierLearner.SoftmaxGradientInPlace(TensorMemory.Float32(z), default, TensorMemory.Float32(db[j]), l, labels.AsSpan(0, l));
                            dw[j].addmm_(z, x, beta: 0, alpha: 1);
                            adam[j].Step();
                            batches[j]++;
                        }
                    }
                }
                for (int j = 0; j < g; j++)
                {
                    if (excluded[j] is not null) continue;
                    lastLoss[j] = -logLik[j] / Math.Max(1, batches[j]);
                    if (!double.IsFinite(lastLoss[j])) excluded[j] = $"non-finite training loss ({lastLoss[j]}) in epoch {epoch + 1}";
                }
            }
            var results = new ModelResult[g];
            for (int j = 0; j < g; j++)
            {
                if (excluded[j] is not null)
                {
                    results[j] = new ModelResult { Model = models[j], FinalLoss = lastLoss[j], ExcludedReason = excluded[j] };
                    continue;
                }
                var (trainCorrect, trainMargin) = Evaluate(w[j], bCol[j], _xTrain, _train.Labels);
                var (testCorrect, testMargin) = Evaluate(w[j], bCol[j], _xTest, _test.Labels);
                results[j] = new ModelResult
                {
                    Model = models[j], TrainCorrect = trainCorrect, TrainMargin = trainMargin, TestCorrect = testCorrect, TestMargin = testMargin,
                    FinalLoss = lastLoss[j],
                };
            }
            return results;
        }
        finally
        {
            foreach (var a in adam) a?.Dispose();
        }
    }

    /// <summary>
    /// Writes the gradient of the mean cross-entropy of each of G logistic models on its own batch into the stacked
    /// gradient views and returns each model's Σ log p(y|x) / rows: the batched step above, exposed for the test against
    /// autograd. x: [G × rows × d]; w: [G × C × d] and b: [G × C] stacked with <paramref name="stride"/> floats per model
    /// in <paramref name="param"/> (b after W); the gradient lands in <paramref name="grad"/> at the same places.
    /// </summary>
    public static double[] LossAndGradient(Tensor x, int[][] labels, Tensor param, Tensor grad, int classes, long stride)
    {
        using var scope = NewDisposeScope();
        int g = (int)x.shape[0], rows = (int)x.shape[1], dim = (int)x.shape[2];
        long weights = (long)classes * dim, zSlot = RoundUp((long)classes * rows + 1);
        var w3 = param.as_strided([g, classes, dim], [stride, dim, 1]);
        var dw3 = grad.as_strided([g, classes, dim], [stride, dim, 1]);
        var zBuf = empty(g * zSlot);
        var z3 = zBuf.as_strided([g, classes, rows], [zSlot, rows, 1]);
        z3.copy_(param.as_strided([g, classes, rows], [stride, 1, 0], weights));
        BatchedProducts.AddInPlace(z3, w3, x.transpose(1, 2), keepResult: true);
        var logLik = new double[g];
        var zs = TensorMemory.Float32(zBuf);
        var gs = TensorMemory.Float32(grad);
        for (int j = 0; j < g; j++)
            logLik[j] = TorchClassifierLearner.SoftmaxGradientInPlace(zs.Slice((int)(j * zSlot), classes * rows), default, gs.Slice((int)(j * stride + weights), classes), rows, labels[j]);
        BatchedProducts.AddInPlace(dw3, z3, x, keepResult: false);
        return logLik;
    }

    /// <summary>Correctness and margin on every example, as <see cref="TorchClassifierLearner"/> computes them.</summary>
    private (bool[] Correct, float[] Margin) Evaluate(Tensor w, Tensor bCol, Tensor x, int[] labels) =>
        Margins.Evaluate(x, labels, _classes, xT => addmm(bCol, w, xT, 1, 1));

    public void Dispose()
    {
        _xTrain.Dispose(); _xTest.Dispose();
    }
}
