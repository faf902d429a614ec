; Inno Setup script: a per-machine Windows installer for the folder build.spec makes.
;
; Build (on Windows, with Inno Setup 6 installed):
;   pip install -e .[build]
;   pyinstaller --noconfirm build.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\callsheet.iss
; -> dist\callsheet-0.1.0-windows-setup.exe
;
; Silent install for IT (no questions, no reboot), optionally with machine defaults:
;   callsheet-0.1.0-windows-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;   callsheet-0.1.0-windows-setup.exe /VERYSILENT /DEFAULTS=\\server\it\callsheet-defaults.toml
; Silent uninstall:
;   "C:\Program Files\Callsheet\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES

#define AppName "Callsheet"
#define AppVersion "0.1.0"
#define Bundle "..\..\dist\Callsheet"

[Setup]
AppId={{6F0C2B0E-6C0B-4C64-9C1D-2E3C0A9B7C11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Callsheet
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=callsheet-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\callsheet.ico
UninstallDisplayIcon={app}\Callsheet.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
DisableProgramGroupPage=yes

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; Machine-wide defaults, when IT passes /DEFAULTS=path (kept on upgrade and uninstall).
Source: "{param:DEFAULTS}"; DestDir: "{commonappdata}\Callsheet"; DestName: "defaults.toml"; \
  Flags: external skipifsourcedoesntexist uninsneveruninstall; Check: HasDefaults

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\Callsheet.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\Callsheet.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\Callsheet.exe"; Description: "Start Callsheet"; \
  Flags: nowait postinstall skipifsilent

[Code]
function HasDefaults: Boolean;
begin
  Result := ExpandConstant('{param:DEFAULTS}') <> '';
end;
