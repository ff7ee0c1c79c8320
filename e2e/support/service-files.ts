import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A .cscfg/.csdef pair as Visual Studio writes them: one web role, one certificate already in use. */
export function writeServiceFiles(existing: { name: string; thumbprint: string }): { cscfg: string; csdef: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cses-svc-'));
  const cscfg = path.join(dir, 'ServiceConfiguration.Cloud.cscfg');
  const csdef = path.join(dir, 'ServiceDefinition.csdef');
  writeFileSync(
    cscfg,
    `<?xml version="1.0" encoding="utf-8"?>
<ServiceConfiguration serviceName="ContosoWeb" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration" osFamily="7" osVersion="*" schemaVersion="2015-04.2.6">
  <Role name="WebRole1">
    <Instances count="2" />
    <ConfigurationSettings>
      <Setting name="Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString" value="UseDevelopmentStorage=true" />
    </ConfigurationSettings>
    <Certificates>
      <Certificate name="${existing.name}" thumbprint="${existing.thumbprint}" thumbprintAlgorithm="sha1" />
    </Certificates>
  </Role>
</ServiceConfiguration>
`,
  );
  writeFileSync(
    csdef,
    `<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="ContosoWeb" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition" schemaVersion="2015-04.2.6">
  <WebRole name="WebRole1" vmsize="Standard_D1_v2">
    <Sites>
      <Site name="Web">
        <Bindings>
          <Binding name="Endpoint1" endpointName="Endpoint1" />
        </Bindings>
      </Site>
    </Sites>
    <Endpoints>
      <InputEndpoint name="Endpoint1" protocol="http" port="80" />
    </Endpoints>
    <Certificates>
      <Certificate name="${existing.name}" storeLocation="LocalMachine" storeName="My" />
    </Certificates>
  </WebRole>
</ServiceDefinition>
`,
  );
  return { cscfg, csdef };
}
