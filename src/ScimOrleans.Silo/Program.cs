using ScimOrleans.Silo.Hosting;

var app = await ScimApp.BuildAsync(args);
await app.RunAsync();
