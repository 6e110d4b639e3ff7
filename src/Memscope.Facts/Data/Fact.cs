namespace Memscope.Facts.Data;

/// <summary>
/// One fact of a phonebook: a key (first-name index, last-name index), its value digits (length L, each in
/// [0, alphabet)), and an optional occurrence count. Equality compares key, digits and count.
/// </summary>
public sealed class Fact : IEquatable<Fact>
{
    private readonly byte[] _value;

    public int First { get; }
    public int Last { get; }

    /// <summary>The value digits (a read-only view; the fact owns a private copy).</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>How often the fact occurs in some data set, when known.</summary>
    public long? Count { get; }

    public Fact(int first, int last, ReadOnlySpan<byte> value, long? count = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        if (value.IsEmpty) throw new ArgumentException("a value needs at least one digit", nameof(value));
        if (count is < 0) throw new ArgumentOutOfRangeException(nameof(count), $"count must be ≥ 0, got {count}");
        First = first;
        Last = last;
        _value = value.ToArray();
        Count = count;
    }

    /// <summary>A copy of the value digits.</summary>
    public byte[] ValueArray() => (byte[])_value.Clone();

    /// <summary>The same fact with another count.</summary>
    public Fact WithCount(long? count) => new(First, Last, _value, count);

    /// <summary>The digits as text: "0427" for alphabets ≤ 10, else dash-separated numbers ("12-0-255").</summary>
    public string ValueText(int alphabet = 10) =>
        alphabet <= 10 ? string.Concat(_value.Select(d => (char)('0' + d))) : string.Join('-', _value);

    public bool Equals(Fact? other) =>
        other is not null && First == other.First && Last == other.Last && Count == other.Count && _value.AsSpan().SequenceEqual(other._value);

    public override bool Equals(object? obj) => Equals(obj as Fact);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(First);
        h.Add(Last);
        h.Add(Count);
        h.AddBytes(_value);
        return h.ToHashCode();
    }

    public override string ToString() =>
        $"({First},{Last}) → {string.Join(' ', _value)}" + (Count is { } c ? $" ×{c}" : "");
}
