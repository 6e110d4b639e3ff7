using Memscope.Core.Random;
using Memscope.Influence.Data;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Influence.Training;

/// <summary>
/// <c>mlp</c> (ReLU hidden layers) and <c>logistic</c> (one linear layer, softmax) trained with Adam on mean
/// cross-entropy, in TorchSharp. Initialization (PyTorch's Linear default, U(±1/√fan_in)) and the per-epoch shuffle
/// come from Memscope's keyed streams (seed, purpose, model), not from Torch's global generator, so models are
/// independent of each other and of thread scheduling. The constructor calls <see cref="TorchThreads.UseOnePerModel"/>:
/// parallelism is across models, which keeps each model's arithmetic identical however models are grouped.
/// <para>
/// Thousands of small models make per-operator overhead as costly as FLOPs, so training runs without autograd: the
/// parameters live in one flat buffer (layer l: W_l [out × in] then b_l), the backward pass is written out (softmax
/// cross-entropy, then per layer dW = Gᵀ·A, db = Σ_rows G, G ← (G·W) ⊙ [A &gt; 0]), gradients land in a second flat
/// buffer and <see cref="FusedAdam"/> updates everything in one pass. Activations are feature-major (see
/// <see cref="LossAndGradient"/>). The same formulas as torch.optim.Adam on
/// autograd gradients; docs/fz.md has the measurements behind the choice.
/// </para>
/// </summary>
public sealed class TorchClassifierLearner : IFzLearner
{
    private readonly ModelConfig _config;
    private readonly LabeledDataset _train, _test;
    private readonly ulong _seed;
    private readonly Device _device;
    private readonly Tensor _xTrain, _oneHotTrain, _xTest;
    private readonly int[] _dims;
    private readonly long[] _offsets;   // start of W_l in the flat buffer; b_l follows W_l

    public string Name => _config.Learner;

    public TorchClassifierLearner(ModelConfig config, LabeledDataset train, LabeledDataset test, ulong seed, string device)
    {
        TorchThreads.UseOnePerModel();   // loads LibTorch; one intra-op thread, so results do not depend on who else runs
        _config = config; _train = train; _test = test; _seed = seed;
        _device = TorchRuntime.Device(device);
        int classes = Math.Max(train.Classes, test.Classes);
        _xTrain = TensorMemory.Copy(train.Features, [train.Count, train.Dim], _device);
        var oneHot = new float[(long)train.Count * classes];
        for (int i = 0; i < train.Count; i++) oneHot[(long)i * classes + train.Labels[i]] = 1;
        _oneHotTrain = TensorMemory.Copy(oneHot, [train.Count, classes], _device);
        _xTest = TensorMemory.Copy(test.Features, [test.Count, test.Dim], _device);
        _dims = config.Learner == "logistic" ? [train.Dim, classes] : [train.Dim, .. config.Hidden, classes];
        _offsets = new long[_dims.Length];
        for (int l = 0; l + 1 < _dims.Length; l++) _offsets[l + 1] = _offsets[l] + (long)_dims[l] * _dims[l + 1] + _dims[l + 1];
    }

    /// <summary>Trainable parameter count.</summary>
    public long ParameterCount => _offsets[^1];

    private int Layers => _dims.Length - 1;

    private Tensor Weight(Tensor flat, int l) => flat.narrow(0, _offsets[l], (long)_dims[l + 1] * _dims[l]).view(_dims[l + 1], _dims[l]);
    private Tensor Bias(Tensor flat, int l) => flat.narrow(0, _offsets[l] + (long)_dims[l + 1] * _dims[l], _dims[l + 1]);

    public ModelResult Train(int model, bool[] mask)
    {
        TorchThreads.UseOnePerModel();   // the setting is per thread: this is the thread that trains
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // init: per layer, W (row-major [out, in]) then b, from the stream (seed, "fz/init", model)
        var init = new Rng(_seed, "fz/init", (ulong)model);
        var initial = new float[ParameterCount];
        for (int l = 0; l < Layers; l++)
        {
            double bound = 1 / Math.Sqrt(_dims[l]);
            int count = _dims[l + 1] * _dims[l] + _dims[l + 1];
            for (int i = 0; i < count; i++) initial[_offsets[l] + i] = (float)((2 * init.NextDouble() - 1) * bound);
        }
        var flat = TensorMemory.Copy(initial, [ParameterCount], _device);
        var grad = zeros(ParameterCount, device: _device);
        var w = Enumerable.Range(0, Layers).Select(l => Weight(flat, l)).ToArray();
        var b = Enumerable.Range(0, Layers).Select(l => Bias(flat, l)).ToArray();
        var dw = Enumerable.Range(0, Layers).Select(l => Weight(grad, l)).ToArray();
        var db = Enumerable.Range(0, Layers).Select(l => Bias(grad, l)).ToArray();
        var net = new Views(w, b, dw, db);
        using var adam = new FusedAdam(flat, grad, _config.LearningRate, _config.WeightDecay);

        var inIdx = Enumerable.Range(0, mask.Length).Where(i => mask[i]).ToArray();
        var order = new long[inIdx.Length];
        var shuffle = new Rng(_seed, "fz/shuffle", (ulong)model);
        double lastLoss = double.NaN;
        for (int epoch = 0; epoch < _config.Epochs; epoch++)
        {
            for (int i = inIdx.Length - 1; i > 0; i--) { int j = shuffle.NextInt(i + 1); (inIdx[i], inIdx[j]) = (inIdx[j], inIdx[i]); }
            for (int i = 0; i < inIdx.Length; i++) order[i] = inIdx[i];
            using var epochScope = NewDisposeScope();
            // the epoch's examples in shuffled order, gathered once; each batch is then a view
            var orderT = tensor(order, [order.Length], device: _device);
            var xEpoch = _xTrain.index_select(0, orderT);
            var yEpoch = _oneHotTrain.index_select(0, orderT);
            double logLikSum = 0;
            int batches = 0;
            for (int start = 0; start < inIdx.Length; start += _config.BatchSize)
            {
                using var step = NewDisposeScope();
                int len = Math.Min(_config.BatchSize, inIdx.Length - start);
                logLikSum += Step(xEpoch.narrow(0, start, len), yEpoch.narrow(0, start, len), net);
                adam.Step();
                batches++;
            }
            lastLoss = -logLikSum / Math.Max(1, batches);
            if (!double.IsFinite(lastLoss))
                return new ModelResult { Model = model, FinalLoss = lastLoss, ExcludedReason = $"non-finite training loss ({lastLoss}) in epoch {epoch + 1}" };
        }
        var (trainCorrect, trainMargin) = Evaluate(net, _xTrain, _train.Labels);
        var (testCorrect, testMargin) = Evaluate(net, _xTest, _test.Labels);
        return new ModelResult
        {
            Model = model, TrainCorrect = trainCorrect, TrainMargin = trainMargin, TestCorrect = testCorrect, TestMargin = testMargin,
            FinalLoss = lastLoss,
        };
    }

    /// <summary>
    /// The views one training step uses, made once per model: W_l, W_lᵀ, b_l as a column, and the gradient views.
    /// </summary>
    private sealed class Views
    {
        public readonly Tensor[] W, WT, BCol, DW, DB;
        public Views(Tensor[] w, Tensor[] b, Tensor[] dw, Tensor[] db)
        {
            W = w; DW = dw; DB = db;
            WT = w.Select(t => t.t()).ToArray();
            BCol = b.Select(t => t.view(-1, 1)).ToArray();
        }
    }

    /// <summary>
    /// Writes the gradient of the mean cross-entropy of the MLP (w, b) on the batch (x, one-hot labels) into dw and db
    /// and returns Σ log p(y|x) / rows, i.e. minus the loss. ReLU between layers, none after the last.
    /// Activations are kept feature-major (Aᵀ, [width × rows]): the products with a narrow layer (the 10 logits) are then
    /// wide on the output side, which MKL runs 2–3× faster than the row-major X·Wᵀ (docs/fz.md).
    /// </summary>
    public static double LossAndGradient(Tensor x, Tensor oneHot, Tensor[] w, Tensor[] b, Tensor[] dw, Tensor[] db)
    {
        using var scope = NewDisposeScope();
        return Step(x, oneHot, new Views(w, b, dw, db));
    }

    private static double Step(Tensor x, Tensor oneHot, Views net)
    {
        int layers = net.W.Length;
        long rows = x.shape[0];
        var inputs = new Tensor[layers];     // Aᵀ_l, the input of layer l
        var g = ForwardT(x.t(), net, inputs);
        double logLikelihood;
        if (g.device_type == DeviceType.CPU)
            logLikelihood = SoftmaxGradientInPlace(TensorMemory.Float32(g), TensorMemory.Float32(oneHot), TensorMemory.Float32(net.DB[^1]), (int)rows);
        else
        {
            // d(mean CE)/d(logits) = (softmax − onehot) / rows, over dim 0 (classes) in this layout
            var oneHotT = oneHot.t();
            var logProb = g.log_softmax(0);
            logLikelihood = logProb.mul(oneHotT).sum().item<float>() / rows;
            using var rowsScalar = rows.ToScalar();   // kept alive through the call (see Scalars)
            g = logProb.exp_().sub_(oneHotT).div_(rowsScalar);
            net.DB[^1].copy_(g.sum(1L));
        }
        for (int l = layers - 1; l >= 0; l--)                              // g is Gᵀ_l [out × rows]
        {
            net.DW[l].addmm_(g, l == 0 ? x : inputs[l].t(), beta: 0, alpha: 1);   // dW_l = Gᵀ·A_l
            if (l < layers - 1) net.DB[l].copy_(g.sum(1L));                    // db_l = Σ_rows G
            if (l > 0) g = net.WT[l].mm(g).mul_(inputs[l].gt(Scalars.Zero));              // Gᵀ ← (W_lᵀ·Gᵀ) ⊙ [Aᵀ_l > 0]
        }
        return logLikelihood;
    }

    /// <summary>
    /// In place on the logits Zᵀ ([classes × rows], row-major): Gᵀ = (softmax(Z) − Y)ᵀ / rows, with Y the one-hot labels
    /// ([rows × classes]); writes db = Σ_rows G and returns Σ log softmax(Z)_y / rows. One pass per example instead of
    /// seven tensor operations; log-sum-exp in double. Y is given either as one-hot rows (<paramref name="y"/>) or, when
    /// <paramref name="labels"/> is not empty, as class indices (the ensemble learner); y_c is exactly 0 or 1 either way,
    /// so both give the same bits.
    /// </summary>
    internal static double SoftmaxGradientInPlace(Span<float> z, ReadOnlySpan<float> y, Span<float> db, int rows, ReadOnlySpan<int> labels = default)
    {
        int classes = z.Length / rows;
        Span<double> dbSum = classes <= 64 ? stackalloc double[classes] : new double[classes];
        dbSum.Clear();
        double logLik = 0;
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) max = Math.Max(max, z[c * rows + r]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(z[c * rows + r] - max);
            double lse = max + Math.Log(sum);
            for (int c = 0; c < classes; c++)
            {
                double logP = z[c * rows + r] - lse, yc = labels.IsEmpty ? y[r * classes + c] : labels[r] == c ? 1f : 0f;
                logLik += yc * logP;
                float gv = (float)((Math.Exp(logP) - yc) / rows);
                z[c * rows + r] = gv;
                dbSum[c] += gv;
            }
        }
        for (int c = 0; c < classes; c++) db[c] = (float)dbSum[c];
        return logLik / rows;
    }

    /// <summary>Logits, feature-major ([classes × rows]), for inputs given feature-major; records each layer's input when asked.</summary>
    private static Tensor ForwardT(Tensor aT, Views net, Tensor[]? inputs = null)
    {
        for (int l = 0; l < net.W.Length; l++)
        {
            if (inputs is not null) inputs[l] = aT;
            aT = addmm(net.BCol[l], net.W[l], aT, 1, 1);                  // Aᵀ_{l+1} = W_l·Aᵀ_l + b_l
            if (l + 1 < net.W.Length) aT = aT.relu_();
        }
        return aT;
    }

    private (bool[] Correct, float[] Margin) Evaluate(Views net, Tensor x, int[] labels) =>
        Margins.Evaluate(x, labels, _dims[^1], xT => ForwardT(xT, net));

    public void Dispose()
    {
        _xTrain.Dispose(); _oneHotTrain.Dispose(); _xTest.Dispose();
    }
}
