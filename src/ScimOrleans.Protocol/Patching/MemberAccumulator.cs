using ScimOrleans.Protocol.Resources;

namespace ScimOrleans.Protocol.Patching;

/// <summary>
/// Folds the member operations of one PATCH into a <see cref="MemberChanges"/>: the later operation on a member
/// wins, and clearing forgets everything accumulated before it.
/// </summary>
internal sealed class MemberAccumulator
{
    private readonly List<MemberReference> _added = [];
    private readonly List<string> _removed = [];
    private bool _clearExisting;

    public bool Touched { get; private set; }

    public void Add(MemberReference member)
    {
        Touched = true;
        _removed.Remove(member.Value);
        var index = _added.FindIndex(m => string.Equals(m.Value, member.Value, StringComparison.Ordinal));
        if (index < 0)
        {
            _added.Add(member);
        }
        else if (member.Type is not null)
        {
            _added[index] = member;
        }
    }

    public void Remove(string id)
    {
        Touched = true;
        _added.RemoveAll(m => string.Equals(m.Value, id, StringComparison.Ordinal));
        if (!_clearExisting && !_removed.Contains(id, StringComparer.Ordinal))
        {
            _removed.Add(id);
        }
    }

    public void Clear()
    {
        Touched = true;
        _clearExisting = true;
        _added.Clear();
        _removed.Clear();
    }

    /// <summary>Marks that the request addressed members even if it changed nothing (e.g. an empty value list).</summary>
    public void Touch() => Touched = true;

    public MemberChanges ToChanges() => new(_clearExisting, [.. _added], [.. _removed]);
}
