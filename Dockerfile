# ScimOrleans silo image (cluster mode). Build context: the repository root.
#   docker build -t scimorleans .
# The image runs one silo: HTTP on 8080, Orleans silo-to-silo on 11111, gateway on 30000. It needs a PostgreSQL
# (ConnectionStrings__Scim) and migrates the schema itself; see docker-compose.yml and README "Running a cluster".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Restore first, from the project files only, so that a source change does not re-download packages.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ScimOrleans.Protocol/ScimOrleans.Protocol.csproj src/ScimOrleans.Protocol/
COPY src/ScimOrleans.Storage/ScimOrleans.Storage.csproj src/ScimOrleans.Storage/
COPY src/ScimOrleans.Grains.Abstractions/ScimOrleans.Grains.Abstractions.csproj src/ScimOrleans.Grains.Abstractions/
COPY src/ScimOrleans.Grains/ScimOrleans.Grains.csproj src/ScimOrleans.Grains/
COPY src/ScimOrleans.Silo/ScimOrleans.Silo.csproj src/ScimOrleans.Silo/
RUN dotnet restore src/ScimOrleans.Silo/ScimOrleans.Silo.csproj
# db/ holds the SQL scripts that are embedded into ScimOrleans.Storage.
COPY db/ db/
COPY src/ src/
RUN dotnet publish src/ScimOrleans.Silo/ScimOrleans.Silo.csproj -c Release -o /app --no-restore --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Cluster mode by default. A replica cannot be told its own address, so it advertises the first IPv4 address of its
# host name ("auto") and listens on every interface of its container.
ENV ASPNETCORE_URLS=http://+:8080 \
    Scim__Mode=Cluster \
    Orleans__SiloPort=11111 \
    Orleans__GatewayPort=30000 \
    Orleans__AdvertisedIPAddress=auto \
    Orleans__ListenOnAnyHostAddress=true
EXPOSE 8080 11111 30000
# The non-root user the .NET images provide.
USER $APP_UID
# SIGTERM (docker stop) starts a graceful stop of at most Scim__ShutdownTimeoutSeconds (30 s): give it longer.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "ScimOrleans.Silo.dll"]
