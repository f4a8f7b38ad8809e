; Inno Setup 6 script for the per-machine Windows installer of vaclient.
;
; Build (on Windows, after PyInstaller produced dist\vaclient\):
;   iscc /DAppVersion=0.1.0 installers\windows\vaclient.iss
; Output: dist\vaclient-setup-<version>.exe
;
; Silent install for MDM (see docs/deploy.md):
;   vaclient-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /TASKS="startup"
;     [/ENDPOINTS="ssh=app.example.com:22;db.example.com:5432"]
;     [/UPLOADURL="https://helpdesk.example.com/upload"] [/CHECKINTERVAL=300]
; The optional values are written as managed settings under
; HKLM\SOFTWARE\Policies\vaclient, which vaclient reads and shows as managed.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "vaclient"
#define SourceDir "..\..\dist\vaclient"

[Setup]
AppId={{6E0B7D5C-3C1F-4E0B-9D43-7A1D8C2B9F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=vaclient maintainers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=vaclient-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\vaclient-tray.exe
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "startup"; Description: "Start vaclient when I sign in"; Flags: unchecked
Name: "openwith"; Description: "Offer ""Install with vaclient"" for ClientConfig files"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\vaclient"; Filename: "{app}\vaclient-tray.exe"
Name: "{autoprograms}\vaclient diagnostics"; Filename: "{app}\vaclient-tray.exe"; Parameters: "--diagnostics"

[Registry]
; Start at login for every user (the per-user setting in the app uses HKCU).
Root: HKLM; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
  ValueName: "vaclient"; ValueData: """{app}\vaclient-tray.exe"""; \
  Flags: uninsdeletevalue; Tasks: startup
; "Install with vaclient" on .json files (ClientConfig-*.json), without taking
; over the default program for JSON.
Root: HKLM; Subkey: "Software\Classes\SystemFileAssociations\.json\shell\vaclient.install"; \
  ValueType: string; ValueName: ""; ValueData: "Install with vaclient"; \
  Flags: uninsdeletekey; Tasks: openwith
Root: HKLM; Subkey: "Software\Classes\SystemFileAssociations\.json\shell\vaclient.install"; \
  ValueType: string; ValueName: "Icon"; ValueData: """{app}\vaclient-tray.exe"",0"; \
  Tasks: openwith
Root: HKLM; Subkey: "Software\Classes\SystemFileAssociations\.json\shell\vaclient.install\command"; \
  ValueType: string; ValueName: ""; ValueData: """{app}\vaclient-tray.exe"" ""%1"""; \
  Tasks: openwith
; Managed settings given on the command line.
Root: HKLM; Subkey: "SOFTWARE\Policies\vaclient"; ValueType: string; ValueName: "UploadUrl"; \
  ValueData: "{param:UPLOADURL}"; Check: HasParam('UPLOADURL')
Root: HKLM; Subkey: "SOFTWARE\Policies\vaclient"; ValueType: dword; \
  ValueName: "CheckIntervalSeconds"; ValueData: "{param:CHECKINTERVAL|300}"; \
  Check: HasParam('CHECKINTERVAL')

[Run]
Filename: "{app}\vaclient-tray.exe"; Description: "Start vaclient now"; \
  Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{cmd}"; Parameters: "/C taskkill /IM vaclient-tray.exe /F"; Flags: runhidden; \
  RunOnceId: "StopTray"

[Code]
function HasParam(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;

{ Endpoints are given as "a;b;c" on the command line and stored as a
  REG_MULTI_SZ (strings separated by #0), one endpoint per string. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  Value: String;
begin
  if (CurStep = ssPostInstall) and HasParam('ENDPOINTS') then
  begin
    Value := ExpandConstant('{param:ENDPOINTS|}');
    StringChangeEx(Value, ';', #0, True);
    RegWriteMultiStringValue(HKLM64, 'SOFTWARE\Policies\vaclient', 'Endpoints', Value);
  end;
end;
