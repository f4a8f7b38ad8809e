<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <location filename="../../vaclient/ui/app.py" line="103"/>
        <source>Connection state</source>
        <translation>接続状態</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="112"/>
        <source>Drop a ClientConfig file here to import it.</source>
        <translation>ClientConfig ファイルをここにドロップするとインポートします。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="605"/>
        <source>About vaclient</source>
        <translation>vaclient について</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="289"/>
        <source>&amp;Open Connectivity Client</source>
        <translation>Connectivity Client を開く(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="291"/>
        <source>&amp;Sign in</source>
        <translation>サインイン(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="292"/>
        <source>&amp;Run diagnostics</source>
        <translation>診断を実行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="293"/>
        <source>&amp;Import configuration…</source>
        <translation>構成をインポート(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="294"/>
        <source>&amp;Endpoints…</source>
        <translation>エンドポイント(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="295"/>
        <source>&amp;Copy diagnostic summary</source>
        <translation>診断の概要をコピー(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="296"/>
        <source>Make support &amp;bundle…</source>
        <translation>サポート用バンドルを作成(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="297"/>
        <source>Open &amp;log folder</source>
        <translation>ログフォルダーを開く(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="299"/>
        <source>Se&amp;ttings…</source>
        <translation>設定(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="300"/>
        <source>&amp;About vaclient</source>
        <translation>vaclient について(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="302"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="370"/>
        <source>Cannot start the Connectivity Client</source>
        <translation>Connectivity Client を起動できません</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="402"/>
        <source>The diagnosis could not run: </source>
        <translation>診断を実行できませんでした: </translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="423"/>
        <source>IPv6 settings</source>
        <translation>IPv6 の設定</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="423"/>
        <source>Open your network settings and enable IPv6.</source>
        <translation>ネットワーク設定を開き、IPv6 を有効にしてください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="434"/>
        <location filename="../../vaclient/ui/import_dialog.py" line="54"/>
        <source>Import configuration</source>
        <translation>構成のインポート</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="436"/>
        <source>ClientConfig files (ClientConfig-*.json *.json)</source>
        <translation>ClientConfig ファイル (ClientConfig-*.json *.json)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="450"/>
        <location filename="../../vaclient/ui/app.py" line="486"/>
        <location filename="../../vaclient/ui/app.py" line="494"/>
        <source>Cannot import {name}</source>
        <translation>{name} をインポートできません</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="471"/>
        <source>Another configuration is being installed; try again after it.</source>
        <translation>別の構成をインストール中です。終わってからもう一度お試しください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="484"/>
        <source>Cancelled at the administrator prompt; nothing was changed.</source>
        <translation>管理者の確認画面で取り消されました。何も変更されていません。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="502"/>
        <source>Installed as {path}.</source>
        <translation>{path} としてインストールしました。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="504"/>
        <source>The file it replaced was kept as {path}.</source>
        <translation>置き換えたファイルは {path} に保存しました。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="506"/>
        <source>Configuration installed</source>
        <translation>構成をインストールしました</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="519"/>
        <source>The Connectivity Client is running and may not read the new file until it starts again: quit it and start it again.</source>
        <translation>Connectivity Client は実行中のため、再起動するまで新しいファイルを読み込まない可能性があります。いったん終了してから、もう一度起動してください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="524"/>
        <source>If the Connectivity Client is running, quit it and start it again so that it reads the new file.</source>
        <translation>Connectivity Client が実行中の場合は、新しいファイルを読み込むよう、いったん終了してからもう一度起動してください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="527"/>
        <source>Start the Connectivity Client to use it.</source>
        <translation>使用するには Connectivity Client を起動してください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="548"/>
        <source>Cannot save the settings</source>
        <translation>設定を保存できません</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="556"/>
        <source>Cannot change start at login</source>
        <translation>ログイン時の起動を変更できません</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/app.py" line="607"/>
        <source>vaclient {version}
A companion for the AWS Verified Access Connectivity Client: configuration install, diagnostics and status.</source>
        <translation>vaclient {version}
AWS Verified Access Connectivity Client の補助ツール: 構成のインストール、診断、状態表示。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/crash.py" line="42"/>
        <source>vaclient: unexpected error</source>
        <translation>vaclient: 予期しないエラー</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/crash.py" line="44"/>
        <source>Details were written to {path}.</source>
        <translation>詳細は {path} に書き込まれました。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/crash.py" line="47"/>
        <source>vaclient hit an unexpected problem. Copy the details below and send them to your helpdesk.</source>
        <translation>vaclient で予期しない問題が発生しました。下の詳細をコピーしてヘルプデスクに送ってください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/crash.py" line="56"/>
        <source>Error details</source>
        <translation>エラーの詳細</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/crash.py" line="59"/>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="53"/>
        <source>Open the WebView2 download page</source>
        <extracomment>Finding code -&gt; the fix action the controller knows how to carry out.</extracomment>
        <translation>WebView2 のダウンロードページを開く</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="54"/>
        <source>Import a configuration…</source>
        <translation>構成をインポート…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="55"/>
        <source>Start the Connectivity Client</source>
        <translation>Connectivity Client を起動</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="56"/>
        <source>Open the client download page</source>
        <translation>クライアントのダウンロードページを開く</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="57"/>
        <source>Open the network settings</source>
        <translation>ネットワーク設定を開く</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="118"/>
        <location filename="../../vaclient/ui/diagnostics.py" line="221"/>
        <source>Next step: </source>
        <translation>次の手順: </translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="151"/>
        <source>vaclient diagnostics</source>
        <translation>vaclient 診断</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="157"/>
        <source>No diagnosis yet.</source>
        <translation>まだ診断していません。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="159"/>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="171"/>
        <source>&amp;Run again</source>
        <translation>再実行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="172"/>
        <source>&amp;Copy summary</source>
        <translation>概要をコピー(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="173"/>
        <source>&amp;Save report…</source>
        <translation>レポートを保存(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="52"/>
        <source>configuration secret fields</source>
        <translation>構成の秘密フィールド</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="53"/>
        <source>configuration secrets in text</source>
        <translation>テキスト中の構成の秘密情報</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="54"/>
        <source>certificates and keys</source>
        <translation>証明書と鍵</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="55"/>
        <source>OpenVPN key blocks</source>
        <translation>OpenVPN の鍵ブロック</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="56"/>
        <source>bearer tokens</source>
        <translation>ベアラートークン</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="57"/>
        <source>JSON web tokens</source>
        <translation>JSON Web トークン</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="58"/>
        <source>AWS access keys</source>
        <translation>AWS アクセスキー</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="59"/>
        <source>passwords in URLs</source>
        <translation>URL 内のパスワード</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="60"/>
        <source>signatures of upload links</source>
        <translation>アップロードリンクの署名</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="61"/>
        <source>passwords and tokens</source>
        <translation>パスワードとトークン</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="62"/>
        <source>encoded keys or tokens</source>
        <translation>エンコードされた鍵またはトークン</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="63"/>
        <source>user names</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="64"/>
        <source>host names</source>
        <translation>ホスト名</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="65"/>
        <source>e-mail addresses</source>
        <translation>メールアドレス</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="66"/>
        <source>IPv4 addresses</source>
        <translation>IPv4 アドレス</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="67"/>
        <source>IPv6 addresses</source>
        <translation>IPv6 アドレス</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="91"/>
        <source>Secrets removed ({counts}).</source>
        <translation>秘密情報を削除しました（{counts}）。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="93"/>
        <source>No secrets were found; configuration secrets are never included.</source>
        <translation>秘密情報は見つかりませんでした。構成の秘密情報が含まれることはありません。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="98"/>
        <source>Names and addresses replaced ({counts}).</source>
        <translation>名前とアドレスを置き換えました（{counts}）。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="100"/>
        <source>Anonymised: no names or addresses were found.</source>
        <translation>匿名化: 名前やアドレスは見つかりませんでした。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="136"/>
        <source>Support bundle</source>
        <translation>サポート用バンドル</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="143"/>
        <source>A support bundle holds the diagnosis, network settings, logs and configurations for the helpdesk. Secrets are always removed.</source>
        <translation>サポート用バンドルには、ヘルプデスク向けの診断結果、ネットワーク設定、ログ、構成が含まれます。秘密情報は常に削除されます。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="149"/>
        <source>Replace names and addresses (anonymise)</source>
        <translation>名前とアドレスを置き換える（匿名化）</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="153"/>
        <source>Collecting…</source>
        <translation>収集しています…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="156"/>
        <source>Working</source>
        <translation>処理中</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="163"/>
        <source>Files in the bundle</source>
        <translation>バンドル内のファイル</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="164"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="164"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="164"/>
        <source>Contents</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="175"/>
        <source>What was removed</source>
        <translation>削除されたもの</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="179"/>
        <source>Problems</source>
        <translation>問題</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="197"/>
        <source>Support ID</source>
        <translation>サポート ID</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="202"/>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="203"/>
        <source>Save bundle</source>
        <translation>バンドルを保存</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="204"/>
        <source>Send to &amp;helpdesk</source>
        <translation>ヘルプデスクに送信(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="205"/>
        <source>Send to helpdesk</source>
        <translation>ヘルプデスクに送信</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="207"/>
        <location filename="../../vaclient/ui/diagnostics.py" line="174"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="282"/>
        <source>Collecting the diagnosis, network settings and logs…</source>
        <translation>診断結果、ネットワーク設定、ログを収集しています…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="285"/>
        <source>The bundle could not be prepared: {message}</source>
        <translation>バンドルを準備できませんでした: {message}</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="299"/>
        <source>{count} files, {size} before compression.</source>
        <translation>ファイル {count} 個、圧縮前 {size}。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="304"/>
        <source>Not included:</source>
        <translation>含まれないもの:</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="314"/>
        <source>Save support bundle</source>
        <translation>サポート用バンドルを保存</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="316"/>
        <source>Zip files (*.zip)</source>
        <translation>Zip ファイル (*.zip)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="333"/>
        <source>Saved as {path}. Support ID: {support_id}</source>
        <translation>{path} に保存しました。サポート ID: {support_id}</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="339"/>
        <source>Writing the bundle…</source>
        <translation>バンドルを書き込んでいます…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="342"/>
        <source>The bundle could not be saved: {message}</source>
        <translation>バンドルを保存できませんでした: {message}</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="364"/>
        <source>Sending the bundle to the helpdesk…</source>
        <translation>バンドルをヘルプデスクに送信しています…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="367"/>
        <source>The bundle could not be sent: {message}</source>
        <translation>バンドルを送信できませんでした: {message}</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/bundle_dialog.py" line="373"/>
        <source>Sent. Tell the helpdesk this support ID:</source>
        <translation>送信しました。このサポート ID をヘルプデスクに伝えてください:</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="195"/>
        <source>Checking…</source>
        <translation>確認中…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="213"/>
        <source>Everything checked is fine.</source>
        <translation>確認した項目はすべて正常です。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="214"/>
        <source>Working, with warnings.</source>
        <translation>動作していますが、警告があります。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="215"/>
        <source>A problem was found.</source>
        <translation>問題が見つかりました。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="265"/>
        <source>Save report</source>
        <translation>レポートを保存</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/diagnostics.py" line="265"/>
        <source>JSON files (*.json)</source>
        <translation>JSON ファイル (*.json)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="61"/>
        <source>Instance {instance} in {region}, routes: {routes}</source>
        <translation>インスタンス {instance} ({region})、ルート: {routes}</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="69"/>
        <source>The same file is already installed at {path}.</source>
        <translation>同じファイルが {path} に既にインストールされています。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="71"/>
        <source>It replaces the installed file {path} (a backup is kept).</source>
        <translation>インストール済みのファイル {path} を置き換えます (バックアップを残します)。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="73"/>
        <source>It will be installed as {path}.</source>
        <translation>{path} としてインストールされます。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="80"/>
        <source>Changes</source>
        <translation>変更点</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="81"/>
        <source>Setting</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="81"/>
        <source>Installed</source>
        <translation>インストール済み</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="81"/>
        <source>New</source>
        <translation>新規</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="91"/>
        <source>Installing needs administrator rights; the system will ask.</source>
        <translation>インストールには管理者権限が必要です。システムが確認を求めます。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="95"/>
        <source>Installing… confirm the administrator prompt.</source>
        <translation>インストール中… 管理者の確認画面で許可してください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="99"/>
        <source>Installing</source>
        <translation>インストール中</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="106"/>
        <source>Installation status</source>
        <translation>インストールの状態</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="112"/>
        <source>&amp;Install</source>
        <translation>インストール(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/import_dialog.py" line="114"/>
        <source>Install</source>
        <translation>インストール</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="44"/>
        <source>Set by your administrator</source>
        <translation>管理者が設定しています</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="61"/>
        <source>vaclient settings</source>
        <translation>vaclient の設定</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="71"/>
        <source>Servers to check (TCP):</source>
        <translation>確認するサーバー (TCP):</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="73"/>
        <location filename="../../vaclient/ui/settings_dialog.py" line="97"/>
        <source>Endpoints</source>
        <translation>エンドポイント</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="74"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="74"/>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="74"/>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="80"/>
        <source>&amp;Add</source>
        <translation>追加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="81"/>
        <source>Add endpoint</source>
        <translation>エンドポイントを追加</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="82"/>
        <source>&amp;Remove</source>
        <translation>削除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="83"/>
        <source>Remove endpoint</source>
        <translation>エンドポイントを削除</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="104"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="106"/>
        <source>Check interval</source>
        <translation>確認間隔</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="107"/>
        <source>Check endpoints every</source>
        <translation>エンドポイントの確認間隔</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="110"/>
        <location filename="../../vaclient/ui/settings_dialog.py" line="116"/>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="111"/>
        <source>System default</source>
        <translation>システムの既定</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="118"/>
        <source>Start vaclient when I log in</source>
        <translation>ログイン時に vaclient を起動する</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="123"/>
        <source>detect automatically</source>
        <translation>自動検出</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="124"/>
        <location filename="../../vaclient/ui/settings_dialog.py" line="125"/>
        <source>Tunnel interface</source>
        <translation>トンネルインターフェイス</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="126"/>
        <source>General</source>
        <translation>全般</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/settings_dialog.py" line="186"/>
        <source>Row {row}: the port must be a number from 1 to 65535.</source>
        <translation>{row} 行目: ポートは 1 から 65535 の数値にしてください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="32"/>
        <source>Not configured</source>
        <translation>未構成</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="33"/>
        <source>Signed out (tunnel down)</source>
        <translation>サインアウト (トンネル停止)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="34"/>
        <source>Connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="35"/>
        <source>Connected</source>
        <translation>接続済み</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="36"/>
        <source>Connected, some endpoints fail</source>
        <translation>接続済み (一部のエンドポイントで失敗)</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="37"/>
        <source>Problem found</source>
        <translation>問題あり</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="76"/>
        <source>Import a ClientConfig file to start.</source>
        <translation>ClientConfig ファイルをインポートして開始してください。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="79"/>
        <source>The Connectivity Client is not installed.</source>
        <translation>Connectivity Client がインストールされていません。</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="85"/>
        <source>Failing: </source>
        <translation>失敗: </translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="89"/>
        <source>Waiting for the tunnel…</source>
        <translation>トンネルを待っています…</translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="92"/>
        <source>Routes not in the tunnel: </source>
        <translation>トンネルを通らないルート: </translation>
    </message>
    <message>
        <location filename="../../vaclient/ui/state.py" line="93"/>
        <source>Choose Sign in to connect.</source>
        <translation>「サインイン」を選んで接続してください。</translation>
    </message>
</context>
</TS>
