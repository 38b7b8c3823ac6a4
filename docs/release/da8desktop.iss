; Inno Setup 6 script for the Windows installer of da8desktop (see docs/release.md).
;   iscc /DAppVersion=0.1.0 docs\release\da8desktop.iss
; Installs per user, without administrator rights, into %LOCALAPPDATA%\Programs\da8desktop,
; adds a Start-menu entry (and an optional desktop icon). The data folder
; (%LOCALAPPDATA%\HoiLHPN\da8desktop: database, backups, attachments) is never touched by the
; installer or the uninstaller: reinstalling or uninstalling keeps every record.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "da8desktop"
#define SourceDir "..\..\dist\da8desktop-" + AppVersion

[Setup]
AppId={{6F1D6A9E-2B1F-4E55-9C8E-DA8DE5E7A001}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName=da8desktop {#AppVersion} — Hồ sơ Dự án 8
AppPublisher=Hội LHPN
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName=da8desktop
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
OutputDir=..\..\dist\installer
OutputBaseFilename=da8desktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\da8desktop.ico
UninstallDisplayIcon={app}\da8desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern


[Languages]
Name: "vietnamese"; MessagesFile: "compiler:Languages\Vietnamese.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\da8desktop"; Filename: "{app}\da8desktop.exe"; Comment: "Hồ sơ Dự án 8"
Name: "{autoprograms}\da8desktop (kiểm tra cài đặt)"; Filename: "{app}\da8desktop-debug.exe"; Parameters: "selftest"
Name: "{autodesktop}\da8desktop"; Filename: "{app}\da8desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\da8desktop.exe"; Description: "{cm:LaunchProgram,da8desktop}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder, on purpose: an officer's records outlive the program.
