using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Silo.Tests.Hosting;

/// <summary>How the two member caps combine for list and search responses.</summary>
public sealed class ScimOptionsTests
{
    [Fact]
    public void A_list_shows_the_list_cap_of_members_per_group_but_never_more_than_a_single_group_shows()
    {
        Assert.Equal(1_000, new ScimOptions().MembersPerGroupInList());
        Assert.Equal(50, new ScimOptions { MaxMembersInList = 50 }.MembersPerGroupInList());

        // An operator who lowers MaxMembersReturned lowers the lists too.
        Assert.Equal(300, new ScimOptions { MaxMembersReturned = 300 }.MembersPerGroupInList());
        Assert.Equal(300, new ScimOptions { MaxMembersInList = 5_000, MaxMembersReturned = 300 }.MembersPerGroupInList());
    }
}
