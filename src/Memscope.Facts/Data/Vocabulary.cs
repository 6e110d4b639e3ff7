using Memscope.Core;

namespace Memscope.Facts.Data;

/// <summary>
/// Token ids for a phonebook of facts. Ids are laid out as
/// <c>PAD=0, BOS=1, SEP=2, EOS=3</c>, then <see cref="FirstNameSymbols"/> first-name tokens, then
/// <see cref="LastNameSymbols"/> last-name tokens, then <see cref="ValueAlphabet"/> value-digit tokens.
/// A fact is the sequence <c>[BOS] f l [SEP] d1 … dL [EOS]</c> of length L + 5; the value tokens sit at
/// positions <see cref="ValueStart"/> … ValueStart + L − 1 and are predicted from positions ValueStart − 1 … ValueStart + L − 2.
/// </summary>
public sealed class Vocabulary
{
    public const int Pad = 0;
    public const int Bos = 1;
    public const int Sep = 2;
    public const int Eos = 3;

    /// <summary>Number of special tokens (PAD, BOS, SEP, EOS) before the first name token.</summary>
    public const int SpecialTokens = 4;

    /// <summary>Position of the first value token in a sequence (after BOS, first, last, SEP).</summary>
    public const int ValueStart = 4;

    /// <summary>Largest value alphabet: digits are stored as bytes.</summary>
    public const int MaxValueAlphabet = 256;

    public int FirstNameSymbols { get; }
    public int LastNameSymbols { get; }
    public int ValueAlphabet { get; }
    public int ValueLength { get; }

    /// <summary>Tokens per fact: L + 5.</summary>
    public int SequenceLength => ValueLength + 5;

    /// <summary>Position whose output predicts the first value token (the SEP position).</summary>
    public int PredictionStart => ValueStart - 1;

    /// <summary>Total number of token ids: 4 + first names + last names + alphabet.</summary>
    public int VocabSize => SpecialTokens + FirstNameSymbols + LastNameSymbols + ValueAlphabet;

    /// <summary>Number of distinct keys: first names × last names.</summary>
    public int KeyGridSize => FirstNameSymbols * LastNameSymbols;

    /// <summary>Id of the first first-name token.</summary>
    public int FirstNameBase => SpecialTokens;

    /// <summary>Id of the first last-name token.</summary>
    public int LastNameBase => SpecialTokens + FirstNameSymbols;

    /// <summary>Id of the token for digit 0.</summary>
    public int DigitBase => SpecialTokens + FirstNameSymbols + LastNameSymbols;

    public Vocabulary(int firstNameSymbols = 128, int lastNameSymbols = 128, int valueAlphabet = 10, int valueLength = 4)
    {
        UsageException.Require(firstNameSymbols >= 1,
            $"first-name symbols = {firstNameSymbols}; a phonebook needs at least 1 first name (default 128)");
        UsageException.Require(lastNameSymbols >= 1,
            $"last-name symbols = {lastNameSymbols}; a phonebook needs at least 1 last name (default 128)");
        UsageException.Require((long)firstNameSymbols * lastNameSymbols <= int.MaxValue,
            $"{firstNameSymbols} × {lastNameSymbols} names give more than {int.MaxValue} keys; lower the name alphabets");
        UsageException.Require(valueAlphabet >= 2 && valueAlphabet <= MaxValueAlphabet,
            $"value alphabet = {valueAlphabet}; it must be in [2, {MaxValueAlphabet}] (default 10 decimal digits)");
        UsageException.Require(valueLength >= 1,
            $"value length = {valueLength}; a value needs at least 1 digit (default 4)");
        long size = (long)SpecialTokens + firstNameSymbols + lastNameSymbols + valueAlphabet;
        UsageException.Require(size <= int.MaxValue, $"the vocabulary would have {size} tokens; lower the name alphabets");
        FirstNameSymbols = firstNameSymbols;
        LastNameSymbols = lastNameSymbols;
        ValueAlphabet = valueAlphabet;
        ValueLength = valueLength;
    }

    /// <summary>Entropy of one uniform value in bits: L·log2(alphabet).</summary>
    public double ValueBits => ValueLength * Math.Log2(ValueAlphabet);

    /// <summary>Token id of first name <paramref name="first"/>.</summary>
    public int FirstToken(int first)
    {
        CheckIndex(first, FirstNameSymbols, "first name");
        return FirstNameBase + first;
    }

    /// <summary>Token id of last name <paramref name="last"/>.</summary>
    public int LastToken(int last)
    {
        CheckIndex(last, LastNameSymbols, "last name");
        return LastNameBase + last;
    }

    /// <summary>Token id of value digit <paramref name="digit"/>.</summary>
    public int DigitToken(int digit)
    {
        CheckIndex(digit, ValueAlphabet, "digit");
        return DigitBase + digit;
    }

    public bool IsFirstToken(int token) => token >= FirstNameBase && token < LastNameBase;
    public bool IsLastToken(int token) => token >= LastNameBase && token < DigitBase;
    public bool IsDigitToken(int token) => token >= DigitBase && token < VocabSize;

    /// <summary>The digit a token stands for, or false when the token is not a digit token.</summary>
    public bool TryDigitOf(int token, out byte digit)
    {
        if (IsDigitToken(token)) { digit = (byte)(token - DigitBase); return true; }
        digit = 0;
        return false;
    }

    /// <summary>Grid index of a key: first·LastNameSymbols + last.</summary>
    public int KeyIndex(int first, int last)
    {
        CheckIndex(first, FirstNameSymbols, "first name");
        CheckIndex(last, LastNameSymbols, "last name");
        return first * LastNameSymbols + last;
    }

    /// <summary>The (first, last) key at a grid index.</summary>
    public (int First, int Last) KeyAt(int keyIndex)
    {
        CheckIndex(keyIndex, KeyGridSize, "key index");
        return (keyIndex / LastNameSymbols, keyIndex % LastNameSymbols);
    }

    /// <summary>The two key tokens [f, l].</summary>
    public (int FirstToken, int LastToken) EncodeKey(int first, int last) => (FirstToken(first), LastToken(last));

    /// <summary>The key (first, last) of two key tokens.</summary>
    public (int First, int Last) DecodeKey(int firstToken, int lastToken)
    {
        if (!IsFirstToken(firstToken)) throw new ArgumentOutOfRangeException(nameof(firstToken), $"token {firstToken} is not a first-name token");
        if (!IsLastToken(lastToken)) throw new ArgumentOutOfRangeException(nameof(lastToken), $"token {lastToken} is not a last-name token");
        return (firstToken - FirstNameBase, lastToken - LastNameBase);
    }

    /// <summary>Writes the value tokens of <paramref name="digits"/> (length L) into <paramref name="dest"/>.</summary>
    public void EncodeValue(ReadOnlySpan<byte> digits, Span<int> dest)
    {
        CheckValueLength(digits.Length, nameof(digits));
        if (dest.Length < ValueLength) throw new ArgumentException($"destination holds {dest.Length} tokens, need {ValueLength}", nameof(dest));
        for (int k = 0; k < ValueLength; k++) dest[k] = DigitToken(digits[k]);
    }

    /// <summary>The value tokens of <paramref name="digits"/>.</summary>
    public int[] EncodeValue(ReadOnlySpan<byte> digits)
    {
        var t = new int[ValueLength];
        EncodeValue(digits, t);
        return t;
    }

    /// <summary>Decodes L value tokens into digits; false (digits unspecified) if any token is not a digit token.</summary>
    public bool TryDecodeValue(ReadOnlySpan<int> tokens, Span<byte> digits)
    {
        CheckValueLength(tokens.Length, nameof(tokens));
        if (digits.Length < ValueLength) throw new ArgumentException($"destination holds {digits.Length} digits, need {ValueLength}", nameof(digits));
        for (int k = 0; k < ValueLength; k++)
            if (!TryDigitOf(tokens[k], out digits[k])) return false;
        return true;
    }

    /// <summary>Decodes L value tokens into digits; throws if any token is not a digit token.</summary>
    public byte[] DecodeValue(ReadOnlySpan<int> tokens)
    {
        var d = new byte[ValueLength];
        if (!TryDecodeValue(tokens, d))
            throw new ArgumentException($"value tokens [{string.Join(", ", tokens.ToArray())}] include a non-digit token", nameof(tokens));
        return d;
    }

    /// <summary>Writes the full sequence <c>[BOS] f l [SEP] d1 … dL [EOS]</c> into <paramref name="dest"/> (length ≥ <see cref="SequenceLength"/>).</summary>
    public void Encode(int first, int last, ReadOnlySpan<byte> digits, Span<int> dest)
    {
        if (dest.Length < SequenceLength) throw new ArgumentException($"destination holds {dest.Length} tokens, need {SequenceLength}", nameof(dest));
        dest[0] = Bos;
        dest[1] = FirstToken(first);
        dest[2] = LastToken(last);
        dest[3] = Sep;
        EncodeValue(digits, dest.Slice(ValueStart, ValueLength));
        dest[ValueStart + ValueLength] = Eos;
    }

    /// <summary>The full sequence <c>[BOS] f l [SEP] d1 … dL [EOS]</c>.</summary>
    public int[] Encode(int first, int last, ReadOnlySpan<byte> digits)
    {
        var t = new int[SequenceLength];
        Encode(first, last, digits, t);
        return t;
    }

    /// <summary>Decodes a full sequence back to its key and digits; throws if the layout is wrong.</summary>
    public (int First, int Last, byte[] Digits) Decode(ReadOnlySpan<int> sequence)
    {
        if (sequence.Length != SequenceLength)
            throw new ArgumentException($"sequence has {sequence.Length} tokens, expected {SequenceLength}", nameof(sequence));
        if (sequence[0] != Bos || sequence[3] != Sep || sequence[SequenceLength - 1] != Eos)
            throw new ArgumentException("sequence does not follow the layout [BOS] f l [SEP] d1 … dL [EOS]", nameof(sequence));
        var (f, l) = DecodeKey(sequence[1], sequence[2]);
        return (f, l, DecodeValue(sequence.Slice(ValueStart, ValueLength)));
    }

    private void CheckValueLength(int length, string name)
    {
        if (length != ValueLength) throw new ArgumentException($"a value has {ValueLength} digits, got {length}", name);
    }

    private static void CheckIndex(int i, int n, string what)
    {
        if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(what, $"{what} {i} is outside [0, {n})");
    }
}
