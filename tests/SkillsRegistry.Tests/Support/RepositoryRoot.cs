namespace SkillsRegistry.Tests.Support;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SkillsRegistry.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (SkillsRegistry.sln) above " + AppContext.BaseDirectory);
    }
}
