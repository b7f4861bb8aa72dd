; Lajur's installer for one Windows user, no administrator rights needed.
; Built by packaging/windows/build.sh:
;   makensis -DVERSION=0.1.0 -DEXE=path\lajur.exe -DOUTFILE=lajur-setup.exe lajur.nsi
;
; Installs into %LOCALAPPDATA%\Programs\Lajur, adds a Start-menu shortcut (and
; a desktop one if chosen) and an uninstaller listed under the user's
; "Apps & features". The office's records live elsewhere
; (%LOCALAPPDATA%\Lajur\Lajur\data): the uninstaller keeps them unless asked.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef EXE
  !define EXE "lajur.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "lajur-setup.exe"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Lajur"

Name "Lajur ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Lajur"
InstallDirRegKey HKCU "Software\Lajur" "InstallDir"
BrandingText "Lajur ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1057 "ProductName" "Lajur"
VIAddVersionKey /LANG=1057 "FileDescription" "Pemasang Lajur"
VIAddVersionKey /LANG=1057 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1057 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1057 "LegalCopyright" "MIT OR Apache-2.0"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "../../assets/icons/lajur.ico"
!define MUI_UNICON "../../assets/icons/lajur.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\lajur.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Bahasa Indonesia first: it is the installer's default.
!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_LANGUAGE "English"

LangString SecProgram ${LANG_INDONESIAN} "Lajur (program dan pintasan menu Start)"
LangString SecProgram ${LANG_ENGLISH} "Lajur (program and Start-menu shortcut)"
LangString SecDesktop ${LANG_INDONESIAN} "Pintasan di desktop"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString UninstallName ${LANG_INDONESIAN} "Hapus Lajur"
LangString UninstallName ${LANG_ENGLISH} "Uninstall Lajur"
LangString AskDeleteData ${LANG_INDONESIAN} "Hapus juga data kantor (basis data, lampiran, cadangan, pengaturan)?$\r$\n$\r$\n$LOCALAPPDATA\Lajur$\r$\n$\r$\nPilih Tidak untuk menyimpannya; Lajur yang dipasang lagi akan memakainya kembali."
LangString AskDeleteData ${LANG_ENGLISH} "Also delete the office's records (database, attachments, backups, settings)?$\r$\n$\r$\n$LOCALAPPDATA\Lajur$\r$\n$\r$\nChoose No to keep them; Lajur installed again will use them."

Section "!$(SecProgram)" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=lajur.exe" "${EXE}"
  File "/oname=BACA-SAYA.txt" "README-windows.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\Lajur"
  CreateShortcut "$SMPROGRAMS\Lajur\Lajur.lnk" "$INSTDIR\lajur.exe" "" "$INSTDIR\lajur.exe" 0
  CreateShortcut "$SMPROGRAMS\Lajur\$(UninstallName).lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "Software\Lajur" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Lajur"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Lajur"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\lajur.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "$(SecDesktop)" SecDesktopShortcut
  CreateShortcut "$DESKTOP\Lajur.lnk" "$INSTDIR\lajur.exe" "" "$INSTDIR\lajur.exe" 0
SectionEnd

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Uninstall"
  Delete "$INSTDIR\lajur.exe"
  Delete "$INSTDIR\BACA-SAYA.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Lajur\Lajur.lnk"
  Delete "$SMPROGRAMS\Lajur\*.lnk"
  RMDir "$SMPROGRAMS\Lajur"
  Delete "$DESKTOP\Lajur.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Lajur"

  ; The office's records stay unless the user says otherwise; a silent
  ; uninstall (/S) keeps them, unless /HAPUSDATA is given as well.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/HAPUSDATA" $1
  IfErrors 0 delete_data
  MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(AskDeleteData)" /SD IDNO IDYES delete_data
  Goto done
  delete_data:
    ; Records, logs and crash reports; the window's remembered size and language.
    RMDir /r "$LOCALAPPDATA\Lajur"
    RMDir /r "$APPDATA\Lajur"
  done:
SectionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd
