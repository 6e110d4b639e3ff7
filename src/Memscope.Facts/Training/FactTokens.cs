namespace Memscope.Facts.Training;

/// <summary>
/// The token view of a fact universe that training and evaluation need: one row of <see cref="SequenceLength"/> token
/// ids per fact, with the value at positions [ValueStart, ValueStart + ValueLength), and the exact value entropy H.
/// </summary>
public sealed record FactTokens(int[] Tokens, int Count, int SequenceLength, int ValueStart, int ValueLength, int VocabSize, double HBits)
{
    public ReadOnlySpan<int> Row(int fact) => Tokens.AsSpan(fact * SequenceLength, SequenceLength);
}
