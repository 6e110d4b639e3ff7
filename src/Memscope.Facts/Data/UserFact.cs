namespace Memscope.Facts.Data;

/// <summary>
/// One fact from a user's CSV: an arbitrary key string, an arbitrary value string, and how often it occurs
/// (1 when the file has no count column). Pruning plans need only these counts (and, for the loss-only rule,
/// per-fact losses), so user facts are not forced into the phonebook's fixed two-token key vocabulary.
/// </summary>
public sealed record UserFact(string Key, string Value, long Count = 1);
