using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using static ScimOrleans.Protocol.Tests.Patching.PatchTestData;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Patching;

public sealed class PatchEngineMemberTests
{
    [Fact]
    public void Entra_add_members()
    {
        var outcome = PatchGroup("""{"op":"Add","path":"members","value":[{"$ref":null,"value":"u1"},{"$ref":null,"value":"u2"}]}""");
        Assert.False(outcome.Changed);
        Assert.NotNull(outcome.Members);
        Assert.False(outcome.Members.ClearExisting);
        Assert.Equal(["u1", "u2"], outcome.Members.Added.Select(m => m.Value));
        Assert.Empty(outcome.Members.Removed);
        Assert.False(outcome.Resource.ContainsKey("members"));
    }

    [Fact]
    public void Entra_default_remove_by_value_array_removes_only_those()
    {
        var outcome = PatchGroup("""{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u1"},{"value":"u2"}]}""");
        Assert.False(outcome.Members!.ClearExisting);
        Assert.Equal(["u1", "u2"], outcome.Members.Removed);
        Assert.Empty(outcome.Members.Added);
    }

    [Fact]
    public void Remove_with_empty_value_array_removes_nothing()
    {
        var outcome = PatchGroup("""{"op":"Remove","path":"members","value":[]}""");
        Assert.True(outcome.Members!.IsEmpty);
    }

    [Fact]
    public void Remove_by_value_filter()
    {
        var outcome = PatchGroup("""{"op":"remove","path":"members[value eq \"u1\"]"}""");
        Assert.Equal(["u1"], outcome.Members!.Removed);
        Assert.False(outcome.Members.ClearExisting);
    }

    [Fact]
    public void Remove_by_or_filter()
    {
        var outcome = PatchGroup("""{"op":"remove","path":"members[value eq \"u1\" or VALUE EQ \"u2\" or value eq \"u3\"]"}""");
        Assert.Equal(["u1", "u2", "u3"], outcome.Members!.Removed);
    }

    [Fact]
    public void Remove_members_without_value_clears_all()
    {
        var outcome = PatchGroup("""{"op":"remove","path":"members"}""");
        Assert.True(outcome.Members!.ClearExisting);
        Assert.Empty(outcome.Members.Added);
        Assert.Empty(outcome.Members.Removed);
    }

    [Fact]
    public void Replace_members_clears_and_adds()
    {
        var outcome = PatchGroup("""{"op":"replace","path":"members","value":[{"value":"u1","type":"user"}]}""");
        Assert.True(outcome.Members!.ClearExisting);
        Assert.Equal([new MemberReference("u1", "User")], outcome.Members.Added);
    }

    [Fact]
    public void Okta_rename_and_membership_in_one_request()
    {
        var outcome = PatchGroup(
            """{"op":"replace","value":{"id":"g1","displayName":"Engineering Team"}}""",
            """{"op":"remove","path":"members[value eq \"u9\"]"}""",
            """{"op":"add","path":"members","value":[{"value":"u1","display":"user@x"}]}""");
        Assert.Equal("Engineering Team", outcome.Resource["displayName"]!.GetValue<string>());
        Assert.Equal("g1", outcome.Resource["id"]!.GetValue<string>());
        Assert.True(outcome.Changed);
        Assert.Equal([new MemberReference("u1", null)], outcome.Members!.Added);
        Assert.Equal(["u9"], outcome.Members.Removed);
        Assert.False(outcome.Members.ClearExisting);
    }

    [Fact]
    public void Okta_rename_alone_leaves_members_untouched()
    {
        var outcome = PatchGroup("""{"op":"replace","value":{"id":"g1","displayName":"Engineering"}}""");
        Assert.Null(outcome.Members);
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Later_operation_wins_per_member()
    {
        var outcome = PatchGroup(
            """{"op":"remove","path":"members[value eq \"x\"]"}""",
            """{"op":"add","path":"members","value":[{"value":"x"}]}""",
            """{"op":"add","path":"members","value":[{"value":"y"}]}""",
            """{"op":"remove","path":"members","value":[{"value":"y"}]}""");
        Assert.Equal(["x"], outcome.Members!.Added.Select(m => m.Value));
        Assert.Equal(["y"], outcome.Members.Removed);
    }

    [Fact]
    public void Clearing_resets_earlier_member_operations()
    {
        var outcome = PatchGroup(
            """{"op":"add","path":"members","value":[{"value":"a"}]}""",
            """{"op":"remove","path":"members[value eq \"b\"]"}""",
            """{"op":"remove","path":"members"}""",
            """{"op":"add","path":"members","value":[{"value":"c"}]}""");
        Assert.True(outcome.Members!.ClearExisting);
        Assert.Equal(["c"], outcome.Members.Added.Select(m => m.Value));
        Assert.Empty(outcome.Members.Removed);
    }

    [Fact]
    public void Path_less_members_key()
    {
        var add = PatchGroup("""{"op":"add","value":{"members":[{"value":"u1"}]}}""");
        Assert.False(add.Members!.ClearExisting);
        Assert.Equal(["u1"], add.Members.Added.Select(m => m.Value));

        var replace = PatchGroup("""{"op":"replace","value":{"displayName":"X","members":[{"value":"u2"}]}}""");
        Assert.True(replace.Members!.ClearExisting);
        Assert.Equal(["u2"], replace.Members.Added.Select(m => m.Value));
    }

    [Fact]
    public void Duplicate_members_in_one_add_collapse()
    {
        var outcome = PatchGroup("""{"op":"add","path":"members","value":[{"value":"u1"},{"value":"u1","type":"User"}]}""");
        Assert.Equal([new MemberReference("u1", "User")], outcome.Members!.Added);
    }

    [Theory]
    [InlineData("members[type eq \\\"Group\\\"]")]
    [InlineData("members[value co \\\"u\\\"]")]
    [InlineData("members[value eq \\\"a\\\" and type eq \\\"User\\\"]")]
    [InlineData("members[display eq \\\"x\\\"]")]
    public void Other_member_filters_are_invalid_filter(string path)
    {
        var ex = Throws(ScimTypes.InvalidFilter, () => PatchGroup($$"""{"op":"remove","path":"{{path}}"}"""));
        Assert.Contains("value eq", ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"members","value":[{"value":"u1","type":"Device"}]}""")]
    [InlineData("""{"op":"add","path":"members","value":[{"display":"no id"}]}""")]
    [InlineData("""{"op":"remove","path":"members","value":[{"value":""}]}""")]
    public void Bad_member_values_are_invalid_value(string operation)
    {
        Throws(ScimTypes.InvalidValue, () => PatchGroup(operation));
    }

    [Fact]
    public void Member_sub_attribute_paths_are_invalid_path()
    {
        Throws(ScimTypes.InvalidPath, () => PatchGroup("""{"op":"replace","path":"members.display","value":"x"}"""));
        Throws(ScimTypes.InvalidPath, () => PatchGroup("""{"op":"replace","path":"members[value eq \"u1\"].display","value":"x"}"""));
    }

    [Fact]
    public void Filtered_add_on_members_is_invalid_path()
    {
        Throws(ScimTypes.InvalidPath, () => PatchGroup("""{"op":"add","path":"members[value eq \"u1\"]","value":[{"value":"u2"}]}"""));
    }

    [Fact]
    public void Member_types_are_canonicalised()
    {
        var outcome = PatchGroup("""{"op":"add","path":"members","value":[{"value":"u1","type":"USER"},{"value":"g2","type":"group"}]}""");
        Assert.Equal([new MemberReference("u1", "User"), new MemberReference("g2", "Group")], outcome.Members!.Added);
    }

    [Fact]
    public void User_patch_never_reports_member_changes()
    {
        Assert.Null(PatchUser("""{"op":"replace","path":"title","value":"x"}""").Members);
    }

    [Fact]
    public void Atomic_across_members_too()
    {
        Throws(ScimTypes.InvalidValue, () => PatchGroup(
            """{"op":"add","path":"members","value":[{"value":"u1"}]}""",
            """{"op":"replace","path":"displayName","value":null}"""));
    }
}
