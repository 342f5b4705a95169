namespace ScimOrleans.Storage;

/// <summary>The result of a commit and whether its writes are kept (false: roll them back, the commit changed nothing).</summary>
internal readonly record struct CommitApplied(CommitResult Result, bool Keep);
