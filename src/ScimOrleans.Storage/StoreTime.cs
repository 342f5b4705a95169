namespace ScimOrleans.Storage;

/// <summary>
/// The store's clock resolution. Both stores keep times as UTC microseconds (PostgreSQL's <c>timestamptz</c>
/// precision), so a value read back equals the value written only after <see cref="Truncate"/>. Writers that cache a
/// row should truncate its times (or adopt <see cref="CommitResult.LastModified"/>) so a cached copy and a reloaded
/// copy render identical <c>meta</c>.
/// </summary>
public static class StoreTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The UTC instant rounded down to whole microseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>Microseconds since the Unix epoch, rounded down.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    /// <summary>True when <paramref name="value"/> has a fraction of a microsecond that storing it would drop.</summary>
    public static bool HasSubMicrosecondPart(DateTimeOffset value) => value.UtcTicks % TicksPerMicrosecond != 0;

    /// <summary>The UTC instant for microseconds since the Unix epoch.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * TicksPerMicrosecond), TimeSpan.Zero);
}
