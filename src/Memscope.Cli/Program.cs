var plt = new ScottPlot.Plot();
plt.Add.Scatter(new double[]{1,2,3}, new double[]{1,4,9});
plt.Title("smoke");
plt.SavePng("/tmp/smoke.png", 400, 300);
Console.WriteLine(System.Reflection.Assembly.GetExecutingAssembly().GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).Cast<System.Reflection.AssemblyInformationalVersionAttribute>().First().InformationalVersion);
