using System.Text;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>Reads the binary PPM (P6, 8-bit RGB) that pdftoppm writes by default.</summary>
internal sealed record Ppm(int Width, int Height, byte[] Pixels)
{
    public static Ppm Read(byte[] file)
    {
        var position = 0;
        var fields = new string[4];
        for (var f = 0; f < 4; f++)
        {
            while (char.IsWhiteSpace((char)file[position]) || file[position] == '#')
            {
                if (file[position] == '#') while (file[position] != '\n') position++;
                position++;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)file[position])) position++;
            fields[f] = Encoding.ASCII.GetString(file, start, position - start);
        }

        Assert.Equal("P6", fields[0]);
        Assert.Equal("255", fields[3]);
        int width = int.Parse(fields[1]), height = int.Parse(fields[2]);
        return new Ppm(width, height, file[(position + 1)..(position + 1 + width * height * 3)]);
    }
}
