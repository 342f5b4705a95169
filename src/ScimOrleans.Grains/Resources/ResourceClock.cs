namespace ScimOrleans.Grains.Resources;

/// <summary>The time stamped on a write.</summary>
internal static class ResourceClock
{
    /// <summary>
    /// Now, to the millisecond: what meta timestamps show, so a stored value always equals what clients read.
    /// </summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
