namespace ScimOrleans.Storage;

/// <summary>
/// What one commit of <see cref="IScimStore.CreateManyAsync"/> came to: exactly one of <see cref="Result"/> and
/// <see cref="Error"/> is set. <see cref="Error"/> is the exception <see cref="IScimStore.CommitAsync"/> would have
/// thrown for the same commit (a <c>ScimException</c> or a <see cref="StoreConcurrencyException"/>).
/// </summary>
public sealed record CommitOutcome(CommitResult? Result, Exception? Error)
{
    public static CommitOutcome Succeeded(CommitResult result) => new(result, null);

    public static CommitOutcome Failed(Exception error) => new(null, error);
}
